package io.github.onnxgpu.benchmarks.scenario;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configuration of the starter the load scenario compares, written as a user writes it:
 * {@code onnx.models.<name>.*} properties, everything else at the starter's defaults
 * (batching's {@code max-batch-size}, {@code max-delay}, {@code queue-size},
 * {@code timeout}, and the intra-op threads of each instance).
 */
public enum LoadConfiguration {

	/** One session, unbatched: the starter's path before batching. */
	UNBATCHED("unbatched", "unbatched, 1 session", false, 1),

	/** Dynamic batching on one session. */
	BATCHING("batching", "batching", true, 1),

	/** Two sessions of the model, unbatched. */
	INSTANCES("instances", "2 instances", false, 2),

	/** Dynamic batching over two sessions. */
	BATCHING_INSTANCES("batching-instances", "batching + 2 instances", true, 2),

	/**
	 * Dynamic batching on one session whose batches wait up to 2 ms for runs to join: the
	 * alternative to the starter's default {@code max-delay} of 0.
	 */
	BATCHING_DELAY("batching-delay", "batching, max-delay 2ms", true, 1),

	/**
	 * Dynamic batching with one batch worker on one session of ONNX Runtime's default
	 * intra-op threads (all cores): the alternative to the starter's default of one
	 * worker per core, each session thread alone.
	 */
	BATCHING_ONE_WORKER("batching-one-worker", "batching, 1 worker", true, 1);

	private final String id;

	private final String label;

	private final boolean batching;

	private final int instances;

	LoadConfiguration(String id, String label, boolean batching, int instances) {
		this.id = id;
		this.label = label;
		this.batching = batching;
		this.instances = instances;
	}

	/**
	 * The configuration of an id.
	 * @param id such as {@code batching-instances}
	 * @return the configuration
	 * @throws IllegalArgumentException for an unknown id
	 */
	public static LoadConfiguration of(String id) {
		return Arrays.stream(values())
			.filter((configuration) -> configuration.id.equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No load configuration '" + id
					+ "'; the configurations are " + Arrays.stream(values()).map(LoadConfiguration::id).toList()));
	}

	/**
	 * The id used on the command line.
	 * @return such as {@code batching-instances}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The label used in tables and pictures.
	 * @return such as {@code batching + 2 instances}
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Whether requests are batched.
	 * @return whether {@code batching.enabled} is set
	 */
	public boolean batching() {
		return this.batching;
	}

	/**
	 * The properties of a model in this configuration.
	 * @param model the model's name
	 * @return the properties, none for the unbatched single session (the defaults)
	 */
	public Map<String, String> properties(String model) {
		Map<String, String> properties = new LinkedHashMap<>();
		String prefix = "onnx.models." + model + ".";
		if (this.batching) {
			properties.put(prefix + "batching.enabled", "true");
		}
		if (this == BATCHING_DELAY) {
			properties.put(prefix + "batching.max-delay", "2ms");
		}
		if (this == BATCHING_ONE_WORKER) {
			properties.put(prefix + "batching.workers", "1");
		}
		if (this.instances != 1) {
			properties.put(prefix + "instances", String.valueOf(this.instances));
		}
		return properties;
	}

}
