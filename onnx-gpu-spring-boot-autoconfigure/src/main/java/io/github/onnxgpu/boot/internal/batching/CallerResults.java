package io.github.onnxgpu.boot.internal.batching;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.TensorInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.batching.PendingRun.Slice;

/**
 * Makes each caller's {@link Result} from its slices of a batch. The slices are views on
 * the batch's own output buffers (direct memory), and each becomes an {@link OnnxTensor}
 * over that memory, without a copy. The {@link Result} holding them is made with
 * {@code OrtSession.Result}'s package-private constructor, reached through a private
 * method-handle lookup (ONNX Runtime's jar is an automatic module, or on the class path,
 * whose packages are open); where that is refused (a module layer that does not open the
 * package), the result passes through {@link ResultFactory}'s identity model, a run of a
 * second ONNX Runtime session per caller, as before.
 */
final class CallerResults {

	private static final Log logger = LogFactory.getLog(CallerResults.class);

	private static final @Nullable MethodHandle RESULT = resultConstructor();

	private final OrtEnvironment environment;

	private final @Nullable ResultFactory identity;

	private CallerResults(OrtEnvironment environment, @Nullable ResultFactory identity) {
		this.environment = environment;
		this.identity = identity;
	}

	static CallerResults create(OrtEnvironment environment, Map<String, TensorInfo> outputs) throws OrtException {
		return new CallerResults(environment, (RESULT != null) ? null : ResultFactory.create(environment, outputs));
	}

	/**
	 * Whether results are made without a second session.
	 * @return whether the constructor is reachable
	 */
	static boolean direct() {
		return RESULT != null;
	}

	/**
	 * A caller's result over its slices.
	 * @param slices the slices by output name
	 * @param outputs the outputs, in the caller's order
	 * @return the result, owned by the caller
	 * @throws OrtException when ONNX Runtime cannot wrap a slice
	 */
	Result result(Map<String, Slice> slices, List<String> outputs) throws OrtException {
		OnnxValue[] values = new OnnxValue[outputs.size()];
		try {
			for (int i = 0; i < values.length; i++) {
				Slice slice = slices.get(outputs.get(i));
				values[i] = OnnxTensor.createTensor(this.environment, slice.data(), slice.shape(), slice.type());
			}
			if (RESULT != null) {
				boolean[] owned = new boolean[values.length];
				Arrays.fill(owned, true);
				return (Result) RESULT.invokeExact(outputs.toArray(new String[0]), values, owned);
			}
			Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
			for (int i = 0; i < values.length; i++) {
				tensors.put(outputs.get(i), (OnnxTensor) values[i]);
			}
			try {
				return this.identity.result(tensors, outputs);
			}
			finally {
				close(values);
			}
		}
		catch (OrtException | RuntimeException | Error ex) {
			close(values);
			throw ex;
		}
		catch (Throwable ex) {
			close(values);
			throw new IllegalStateException(ex);
		}
	}

	void close(Duration wait) {
		if (this.identity != null) {
			this.identity.close(wait);
		}
	}

	private static void close(OnnxValue[] values) {
		for (OnnxValue value : values) {
			if (value != null) {
				value.close();
			}
		}
	}

	private static @Nullable MethodHandle resultConstructor() {
		try {
			MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Result.class, MethodHandles.lookup());
			return lookup
				.findConstructor(Result.class,
						MethodType.methodType(void.class, String[].class, OnnxValue[].class, boolean[].class))
				.asType(MethodType.methodType(Result.class, String[].class, OnnxValue[].class, boolean[].class));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("OrtSession.Result cannot be made directly (" + ex
					+ "); batched results pass through an identity session");
			return null;
		}
	}

}
