package io.github.onnxgpu.benchmarks.scenario;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import io.github.onnxgpu.benchmarks.BenchmarkModel;
import io.github.onnxgpu.benchmarks.BenchmarkProfile;
import io.github.onnxgpu.benchmarks.trial.ProviderSpec;
import io.github.onnxgpu.benchmarks.trial.TrialLauncher;

/**
 * What every scenario works with.
 *
 * @param profile how much to measure
 * @param models the detector and the sequence model
 * @param gpu whether this is the GPU suite
 * @param launcher starts the trials
 * @param workDirectory where scenarios may write files
 * @param resultsDirectory where the result files go, and the pictures a scenario draws
 * beside them
 * @param filePrefix the start of the result files' names, such as {@code cpu} or
 * {@code gpu-quick}
 * @param progress where progress is reported
 */
public record ScenarioContext(BenchmarkProfile profile, List<BenchmarkModel> models, boolean gpu,
		TrialLauncher launcher, Path workDirectory, Path resultsDirectory, String filePrefix, PrintStream progress) {

	private static final List<String> ALGO_SEARCHES = List.of("EXHAUSTIVE", "HEURISTIC", "DEFAULT");

	/**
	 * The detector.
	 * @return the model
	 */
	public BenchmarkModel detector() {
		return this.models.get(0);
	}

	/**
	 * The providers a model is measured on: the CPU, or on CUDA every cuDNN convolution
	 * algorithm search, and for 1-D convolutions both paddings.
	 * @param model the model
	 * @return the providers
	 */
	public List<ProviderSpec> providersFor(BenchmarkModel model) {
		if (!this.gpu) {
			return List.of(ProviderSpec.cpu());
		}
		if (!"1d".equals(model.convolution())) {
			return ALGO_SEARCHES.stream().map((search) -> ProviderSpec.cuda(search, null)).toList();
		}
		return ALGO_SEARCHES.stream()
			.flatMap((search) -> List.of(ProviderSpec.cuda(search, false), ProviderSpec.cuda(search, true)).stream())
			.toList();
	}

	/**
	 * Report progress.
	 * @param message the message
	 */
	public void log(String message) {
		this.progress.println("[benchmarks] " + message);
		this.progress.flush();
	}

}
