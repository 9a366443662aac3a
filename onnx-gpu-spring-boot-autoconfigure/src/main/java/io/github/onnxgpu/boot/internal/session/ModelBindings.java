package io.github.onnxgpu.boot.internal.session;

import java.util.Arrays;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.ConfiguredShape;
import io.github.onnxgpu.boot.internal.warmup.Dimensions;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.internal.warmup.WarmupPlan;

/**
 * The binding pools of one model, one per input shape, at most {@link #MAX_SHAPES}: a new
 * shape beyond them replaces the one least recently borrowed, so that requests of ever
 * new shapes cannot hold memory without bound.
 */
final class ModelBindings {

	static final int MAX_SHAPES = 16;

	private final ManagedModel model;

	private volatile ShapePool[] pools = new ShapePool[0];

	private boolean closed;

	// the model's version the pools were made for: a reload drops them
	private volatile long generation;

	ModelBindings(ManagedModel model) {
		this.model = model;
	}

	/**
	 * The pool for some input shapes, created when they are new.
	 * @param request dimensions by input name, some inputs possibly left to inference
	 * @return the pool
	 * @throws IllegalArgumentException when the shapes do not fit the model
	 */
	ShapePool pool(Map<String, long[]> request) {
		if (this.generation != this.model.generation()) {
			dropPools();
		}
		for (ShapePool pool : this.pools) {
			if (pool.accepts(request)) {
				pool.lastUsed = System.nanoTime();
				return pool;
			}
		}
		return add(request);
	}

	private synchronized ShapePool add(Map<String, long[]> request) {
		if (this.closed) {
			throw new IllegalStateException("ONNX model '" + this.model.name() + "' is closed");
		}
		ResolvedShape shape = resolve(request);
		ShapePool pool = null;
		for (ShapePool candidate : this.pools) {
			if (candidate.hasDimensions(shape.dimensions())) {
				pool = candidate;
			}
		}
		if (pool == null) {
			pool = new ShapePool(shape, this.model.definition().bindingPoolSize());
			ShapePool[] more = Arrays.copyOf(this.pools, this.pools.length + 1);
			more[more.length - 1] = pool;
			this.pools = (more.length > MAX_SHAPES) ? withoutLeastRecentlyUsed(more) : more;
		}
		pool.accept(request);
		pool.lastUsed = System.nanoTime();
		return pool;
	}

	private static ShapePool[] withoutLeastRecentlyUsed(ShapePool[] pools) {
		int oldest = 0;
		for (int i = 1; i < pools.length - 1; i++) {
			if (pools[i].lastUsed - pools[oldest].lastUsed < 0) {
				oldest = i;
			}
		}
		pools[oldest].close();
		ShapePool[] fewer = new ShapePool[pools.length - 1];
		System.arraycopy(pools, 0, fewer, 0, oldest);
		System.arraycopy(pools, oldest + 1, fewer, oldest, pools.length - oldest - 1);
		return fewer;
	}

	private ResolvedShape resolve(Map<String, long[]> request) {
		String name = this.model.name();
		request.forEach((input, dims) -> {
			if (dims == null || Arrays.stream(dims).anyMatch((dim) -> dim < 1)) {
				throw new IllegalArgumentException("ONNX model '" + name + "': cannot bind input '" + input
						+ "' with dimensions " + ((dims != null) ? Dimensions.format(dims) : null)
						+ ". Fix: give positive dimensions, such as " + example(input));
			}
		});
		this.model.inputs().forEach((input, info) -> {
			if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type == OnnxJavaType.STRING
					|| tensor.type == OnnxJavaType.UNKNOWN) {
				throw new IllegalArgumentException(
						"ONNX model '" + name + "': input '" + input + "' is " + info.getInfo()
								+ ", which a binding cannot hold. Fix: run this model with DefaultOnnxInference.run");
			}
		});
		try {
			return WarmupPlan.resolveShape(name, this.model.inputs(), new ConfiguredShape(0, request));
		}
		catch (OnnxModelException ex) {
			throw new IllegalArgumentException(
					"ONNX model '" + name + "': cannot bind input shapes " + new ConfiguredShape(0, request) + ": "
							+ ex.getProblem() + ". Fix: give shapes that fit the inputs " + describeInputs()
							+ "; inputs not given are inferred from shared dimension names",
					ex);
		}
	}

	private String example(String input) {
		NodeInfo info = this.model.inputs().get(input);
		return (info != null && info.getInfo() instanceof TensorInfo tensor) ? WarmupPlan.describe(tensor)
				: "1x3x64x64";
	}

	private String describeInputs() {
		StringBuilder text = new StringBuilder("{");
		this.model.inputs().forEach((input, info) -> {
			text.append((text.length() > 1) ? ", " : "").append(input).append('=');
			text.append((info.getInfo() instanceof TensorInfo tensor) ? WarmupPlan.describe(tensor) : "?");
		});
		return text.append('}').toString();
	}

	// bindings made for the version before a reload: idle ones are closed now, those in
	// use when given back; new ones are made for the version serving
	private synchronized void dropPools() {
		long now = this.model.generation();
		if (this.generation == now) {
			return;
		}
		for (ShapePool pool : this.pools) {
			pool.close();
		}
		this.pools = new ShapePool[0];
		this.generation = now;
	}

	synchronized void close() {
		this.closed = true;
		for (ShapePool pool : this.pools) {
			pool.close();
		}
		this.pools = new ShapePool[0];
	}

}
