package io.github.onnxgpu.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The command line of the benchmarks.
 *
 * @param quick run every scenario once on small shapes (CI)
 * @param gpu run the scenarios on CUDA instead of the CPU
 * @param output where the result files go
 * @param trials fresh JVMs per configuration in the full suite
 * @param scenarios the scenario numbers to run (1 and 2 always run together)
 * @param loadModels the load scenario's models, or {@code null} for the profile's
 * @param loadConfigurations the load scenario's configurations, or {@code null} for the
 * profile's
 */
public record BenchmarkOptions(boolean quick, boolean gpu, Path output, int trials, Set<String> scenarios,
		List<String> loadModels, List<String> loadConfigurations) {

	/** The usage line. */
	public static final String USAGE = "java -jar benchmarks/target/benchmarks.jar [--quick] [--gpu] "
			+ "[--output=<dir>] [--trials=<n>] [--scenarios=1,3,4,5,6,7,8,9,10,11,12,13] "
			+ "[--load-models=tiny,small,large] [--load-configurations=unbatched,batching,instances,batching-instances]";

	private static final int DEFAULT_TRIALS = 5;

	/**
	 * Parse the arguments.
	 * @param args the arguments
	 * @return the options
	 * @throws IllegalArgumentException for an unknown argument
	 */
	public static BenchmarkOptions parse(String... args) {
		boolean quick = false;
		boolean gpu = false;
		Path output = defaultOutput();
		int trials = DEFAULT_TRIALS;
		Set<String> scenarios = Set.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13");
		List<String> loadModels = null;
		List<String> loadConfigurations = null;
		for (String arg : args) {
			if (arg.equals("--quick")) {
				quick = true;
			}
			else if (arg.equals("--gpu")) {
				gpu = true;
			}
			else if (arg.startsWith("--output=")) {
				output = Path.of(arg.substring("--output=".length()));
			}
			else if (arg.startsWith("--trials=")) {
				trials = Integer.parseInt(arg.substring("--trials=".length()));
			}
			else if (arg.startsWith("--scenarios=")) {
				scenarios = Set.of(arg.substring("--scenarios=".length()).split(","));
			}
			else if (arg.startsWith("--load-models=")) {
				loadModels = List.of(arg.substring("--load-models=".length()).split(","));
			}
			else if (arg.startsWith("--load-configurations=")) {
				loadConfigurations = List.of(arg.substring("--load-configurations=".length()).split(","));
			}
			else {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'; usage: " + USAGE);
			}
		}
		return new BenchmarkOptions(quick, gpu, output, trials, scenarios, loadModels, loadConfigurations);
	}

	/**
	 * The results name: {@code cpu-results}, {@code gpu-quick-results} and so on; a run
	 * of the load scenario alone ({@code --scenarios=12}) writes
	 * {@code cpu-load-results}, of the reload scenario alone ({@code --scenarios=13})
	 * {@code cpu-reload-results} (and so on), beside the other scenarios' files rather
	 * than over them.
	 * @return the base name of the result files
	 */
	public String resultName() {
		String alone = this.scenarios.equals(Set.of("12")) ? "-load"
				: this.scenarios.equals(Set.of("13")) ? "-reload" : "";
		return filePrefix() + alone + "-results";
	}

	/**
	 * The start of every file name this run writes.
	 * @return {@code cpu}, {@code gpu-quick} and so on
	 */
	public String filePrefix() {
		return (this.gpu ? "gpu" : "cpu") + (this.quick ? "-quick" : "");
	}

	/**
	 * Whether a scenario runs.
	 * @param id its number
	 * @return whether it runs
	 */
	public boolean runs(String id) {
		return this.scenarios.contains(id);
	}

	private static Path defaultOutput() {
		// from the repository root, as the README's command runs, the results go beside
		// the module
		return Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks", "results") : Path.of("results");
	}

}
