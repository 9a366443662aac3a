package io.github.onnxgpu.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.batching.BatchingSettings;
import io.github.onnxgpu.boot.internal.provider.CudaSettings;
import io.github.onnxgpu.boot.internal.session.ModelDefinition;
import io.github.onnxgpu.boot.internal.session.ServingSettings;
import io.github.onnxgpu.boot.internal.session.SessionSettings;
import io.github.onnxgpu.boot.internal.warmup.ConfiguredShape;
import io.github.onnxgpu.boot.internal.warmup.WarmupSettings;
import io.github.onnxgpu.boot.internal.warmup.WarmupSource;

/**
 * Turns {@link OnnxProperties} into checked model definitions, resolving each model's
 * overrides against the shared settings.
 */
final class OnnxModelDefinitions {

	private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

	private OnnxModelDefinitions() {
	}

	static List<ModelDefinition> from(OnnxProperties properties) {
		checkSharedWarmup(properties.getWarmup());
		List<ModelDefinition> definitions = new ArrayList<>();
		properties.getModels().forEach((name, model) -> definitions.add(definition(properties, name, model)));
		OptimizedModelPathCheck.check(properties, definitions, OptimizedModelPathCheck.nativeCache());
		return definitions;
	}

	/**
	 * Check that a model name can serve as a bean name and qualifier.
	 * @param name the name
	 * @throws OnnxModelException when it cannot
	 */
	static void checkName(String name) {
		if (!VALID_NAME.matcher(name).matches()) {
			throw new OnnxModelException(name, "onnx.models." + name,
					"'" + name + "' is not a valid bean qualifier for a model",
					"rename the model using letters, digits, '-' and '_', starting with a letter, such as 'detector'");
		}
	}

	private static ModelDefinition definition(OnnxProperties properties, String name, OnnxModelProperties model) {
		checkName(name);
		int poolSize = model.getBinding().getPoolSize();
		if (poolSize < 0) {
			String property = OnnxModelException.modelProperty(name, "binding.pool-size");
			throw new OnnxModelException(name, property,
					"the binding pool size must not be negative but is " + poolSize,
					"set " + property + " to 0 (no pooling) or more, such as 8");
		}
		CudaSettings cuda = CudaOptionsMapper.map(name, properties.getCuda(), model.getCuda());
		WarmupSettings warmup = EmbeddingDefinitions.withBuckets(name, model,
				warmup(name, properties.getWarmup(), model.getWarmup()));
		return new ModelDefinition(name, model.getLocation(), model.getSha256(), cuda,
				TensorrtOptionsMapper.map(name, properties.getTensorrt(), model.getTensorrt(), cuda),
				session(model.getSession()), warmup, poolSize, TuningOptionsMapper.map(name, properties, model, warmup),
				serving(name, properties, model), ExecutionProviderMapper.map(name, model.getExecutionProvider()));
	}

	private static ServingSettings serving(String name, OnnxProperties properties, OnnxModelProperties model) {
		if (model.getInstances() < 1) {
			String property = OnnxModelException.modelProperty(name, "instances");
			throw new OnnxModelException(name, property,
					"a model needs at least one instance but has " + model.getInstances(),
					"set " + property + " to 1 or more");
		}
		List<Integer> deviceIds = (model.getCuda().getDeviceIds() != null) ? model.getCuda().getDeviceIds() : List.of();
		for (Integer device : deviceIds) {
			if (device == null || device < 0) {
				String property = OnnxModelException.modelProperty(name, "cuda.device-ids");
				throw new OnnxModelException(name, property, "CUDA device ids are 0 or more, not " + device,
						"list devices as shown by nvidia-smi, such as [0, 1]");
			}
		}
		return new ServingSettings(model.getInstances(), deviceIds,
				batching(name, properties.getBatching(), model.getBatching()));
	}

	private static BatchingSettings batching(String name, OnnxProperties.Batching shared,
			OnnxModelProperties.Batching model) {
		int maxBatchSize = Inheritance.resolve(model, shared, BatchingOptions::getMaxBatchSize);
		Duration maxDelay = Inheritance.resolve(model, shared, BatchingOptions::getMaxDelay);
		int queueSize = Inheritance.resolve(model, shared, BatchingOptions::getQueueSize);
		Duration timeout = Inheritance.resolve(model, shared, BatchingOptions::getTimeout);
		Integer workers = Inheritance.resolve(model, shared, BatchingOptions::getWorkers);
		if (model.isEnabled()) {
			check(name, "max-batch-size", model.getMaxBatchSize() != null, maxBatchSize >= 1,
					"the most samples in a batch must be at least 1 but is " + maxBatchSize, "such as 16");
			check(name, "max-delay", model.getMaxDelay() != null, !maxDelay.isNegative(),
					"the longest delay of a batch must not be negative but is " + maxDelay, "such as 2ms, or 0");
			check(name, "queue-size", model.getQueueSize() != null, queueSize >= 1,
					"the batching queue must hold at least one run but holds " + queueSize, "such as 256");
			check(name, "timeout", model.getTimeout() != null, !timeout.isNegative() && !timeout.isZero(),
					"the longest wait in the queue must be positive but is " + timeout, "such as 1s");
			check(name, "workers", model.getWorkers() != null, workers == null || workers >= 1,
					"at least one batch must run at once, not " + workers, "such as 2, or unset");
		}
		return new BatchingSettings(model.isEnabled(), maxBatchSize, maxDelay, queueSize, timeout, workers,
				model.getDimensions());
	}

	private static void check(String name, String suffix, boolean ownValue, boolean valid, String problem,
			String example) {
		if (!valid) {
			String property = ownValue ? OnnxModelException.modelProperty(name, "batching." + suffix)
					: "onnx.batching." + suffix;
			throw new OnnxModelException(name, property, problem, "set " + property + " to a valid value, " + example);
		}
	}

	static SessionSettings session(OnnxModelProperties.Session session) {
		return new SessionSettings(session.getIntraOpThreads(), session.getInterOpThreads(), session.getExecutionMode(),
				session.getOptimizationLevel(), session.getMemoryPattern(), session.getCpuArena(),
				session.getOptimizedModelPath(), session.getConfig());
	}

	private static WarmupSettings warmup(String name, OnnxProperties.Warmup shared, OnnxModelProperties.Warmup model) {
		boolean enabled = Inheritance.resolve(model.getEnabled(), shared.isEnabled());
		int iterations = Inheritance.resolve(model.getIterations(), shared.getIterations());
		if (model.getIterations() != null && iterations < 1) {
			String property = OnnxModelException.modelProperty(name, "warmup.iterations");
			throw new OnnxModelException(name, property, "warmup iterations must be at least 1 but are " + iterations,
					"set " + property + " to 1 or more, or disable this model's warmup");
		}
		Duration timeout = Inheritance.resolve(model.getTimeout(), shared.getTimeout());
		if (model.getTimeout() != null && (timeout.isNegative() || timeout.isZero())) {
			String property = OnnxModelException.modelProperty(name, "warmup.timeout");
			throw new OnnxModelException(name, property, "the warmup timeout must be positive but is " + timeout,
					"set " + property + " to a duration such as 5m");
		}
		DataSize maxInputSize = Inheritance.resolve(model.getMaxInputSize(), shared.getMaxInputSize());
		if (model.getMaxInputSize() != null && maxInputSize.toBytes() <= 0) {
			String property = OnnxModelException.modelProperty(name, "warmup.max-input-size");
			throw new OnnxModelException(name, property,
					"the most input of a warmup sample must be positive but is " + maxInputSize,
					"set " + property + " to a size such as 512MB");
		}
		List<ConfiguredShape> shapes = new ArrayList<>();
		addSamples(shapes, WarmupSource.SHAPES, name, model.getShapes());
		addSamples(shapes, WarmupSource.NPY_FILES, name, model.getSamples());
		int maxIterations = Inheritance.resolve(model.getMaxIterations(), shared.getMaxIterations());
		double tolerance = Inheritance.resolve(model.getSteadyTolerance(), shared.getSteadyTolerance());
		if (model.getMaxIterations() != null || model.getSteadyTolerance() != null) {
			checkSteadyState(OnnxModelException.modelProperty(name, "warmup."), name, maxIterations, tolerance);
		}
		return new WarmupSettings(enabled, iterations, maxIterations, tolerance, timeout,
				Inheritance.resolve(model.getOnFailure(), shared.getOnFailure()),
				Inheritance.resolve(model.getData(), shared.getData()), shapes, nullToEmpty(shared.getValues()),
				nullToEmpty(model.getValues()), maxInputSize);
	}

	// each kind of sample from its own list, never guessed from the text
	private static void addSamples(List<ConfiguredShape> shapes, WarmupSource source, String name,
			List<Map<String, String>> configured) {
		for (int i = 0; i < configured.size(); i++) {
			shapes.add(ConfiguredShape.parse(source, name, shapes.size(), i, configured.get(i)));
		}
	}

	private static Map<String, String> nullToEmpty(@Nullable Map<String, String> values) {
		return (values != null) ? values : Map.of();
	}

	private static void checkSteadyState(String prefix, String name, int maxIterations, double tolerance) {
		if (maxIterations < 1) {
			throw new OnnxModelException(name, prefix + "max-iterations",
					"warmup max-iterations must be at least 1 but is " + maxIterations,
					"set " + prefix + "max-iterations to 1 or more (below iterations it means exactly iterations)");
		}
		if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
			throw new OnnxModelException(name, prefix + "steady-tolerance",
					"the steady-state tolerance must be a fraction of 0 or more but is " + tolerance,
					"set " + prefix + "steady-tolerance to a fraction such as 0.1 for 10%");
		}
	}

	private static void checkSharedWarmup(OnnxProperties.Warmup warmup) {
		int iterations = warmup.getIterations();
		if (iterations < 1) {
			throw new OnnxModelException(null, "onnx.warmup.iterations",
					"warmup iterations must be at least 1 but are " + iterations,
					"set onnx.warmup.iterations to 1 or more, or onnx.warmup.enabled=false");
		}
		if (warmup.getParallelism() < 1) {
			throw new OnnxModelException(null, "onnx.warmup.parallelism",
					"warmup parallelism must be at least 1 but is " + warmup.getParallelism(),
					"set onnx.warmup.parallelism to 1 or more");
		}
		checkSteadyState("onnx.warmup.", null, warmup.getMaxIterations(), warmup.getSteadyTolerance());
		Duration timeout = warmup.getTimeout();
		if (timeout.isNegative() || timeout.isZero()) {
			throw new OnnxModelException(null, "onnx.warmup.timeout",
					"the warmup timeout must be positive but is " + timeout,
					"set onnx.warmup.timeout to a duration such as 10m");
		}
		DataSize maxInputSize = warmup.getMaxInputSize();
		if (maxInputSize.toBytes() <= 0) {
			throw new OnnxModelException(null, "onnx.warmup.max-input-size",
					"the most input of a warmup sample must be positive but is " + maxInputSize,
					"set onnx.warmup.max-input-size to a size such as 512MB");
		}
	}

}
