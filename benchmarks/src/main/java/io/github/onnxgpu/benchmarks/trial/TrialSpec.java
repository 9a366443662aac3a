package io.github.onnxgpu.benchmarks.trial;

import java.util.List;
import java.util.Map;

/**
 * What one fresh-JVM trial loads, warms and measures. The launcher writes it as JSON and
 * the trial's main reads it, so the starter app and the hand-written baseline get exactly
 * the same models, shapes and provider.
 *
 * @param models the models to load, in order
 * @param warmup whether and how the models are warmed before the trial reports ready
 * @param provider the execution provider
 * @param probes the requests timed after ready, in order
 * @param steadyDiscard untimed runs per probe before the steady-state runs
 * @param steadyRuns timed steady-state runs per probe
 * @param idleRuns timed runs per probe that each follow an idle gap
 * @param idleGapMillis the idle gap before each of those runs
 * @param extraProperties further Spring properties for the starter trial, ignored by the
 * hand-written one
 */
public record TrialSpec(List<ModelSpec> models, WarmupSpec warmup, ProviderSpec provider, List<ProbeSpec> probes,
		int steadyDiscard, int steadyRuns, int idleRuns, int idleGapMillis, Map<String, String> extraProperties) {

	public TrialSpec {
		models = List.copyOf(models);
		probes = List.copyOf(probes);
		extraProperties = (extraProperties != null) ? Map.copyOf(extraProperties) : Map.of();
	}

	/**
	 * A copy with other Spring properties.
	 * @param properties the properties
	 * @return the copy
	 */
	public TrialSpec withExtraProperties(Map<String, String> properties) {
		return new TrialSpec(this.models, this.warmup, this.provider, this.probes, this.steadyDiscard, this.steadyRuns,
				this.idleRuns, this.idleGapMillis, properties);
	}

	/**
	 * One model file with its warmup shapes.
	 *
	 * @param name the model's name (the bean name in the starter)
	 * @param file absolute path of the .onnx file
	 * @param warmupShapes warmup samples: input name to dimensions such as
	 * {@code 1x3x256x256}
	 */
	public record ModelSpec(String name, String file, List<Map<String, String>> warmupShapes) {

		public ModelSpec {
			warmupShapes = List.copyOf(warmupShapes);
		}

	}

	/**
	 * Warmup settings, the starter's {@code onnx.warmup.*}; the hand-written trial does
	 * the same runs by hand, one model after another.
	 *
	 * @param enabled whether models are warmed before ready
	 * @param iterations runs per warmup shape
	 * @param parallelism models warmed at once (starter only)
	 */
	public record WarmupSpec(boolean enabled, int iterations, int parallelism) {

		/**
		 * No warmup.
		 * @return the spec
		 */
		public static WarmupSpec none() {
			return new WarmupSpec(false, 0, 1);
		}

	}

	/**
	 * A request timed after ready: the first one at this shape, then the steady state.
	 *
	 * @param model the model's name
	 * @param inputs input name to dimensions
	 * @param warmed whether the shape is one of the model's warmup shapes
	 */
	public record ProbeSpec(String model, Map<String, String> inputs, boolean warmed) {

		public ProbeSpec {
			inputs = Map.copyOf(inputs);
		}

	}

}
