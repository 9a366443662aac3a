package io.github.onnxgpu.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.onnxgpu.benchmarks.trial.TrialSpec.ModelSpec;
import io.github.onnxgpu.benchmarks.trial.TrialSpec.ProbeSpec;
import io.github.onnxgpu.testmodels.TestModels;

/**
 * A generated benchmark model with the shapes it is warmed and probed at.
 *
 * @param name the model's name
 * @param file the model file
 * @param input the name of its only input
 * @param warmedShapes the shapes it is warmed at
 * @param unwarmedShape a shape it is not warmed at
 * @param convolution {@code 2d} or {@code 1d}, what cuDNN options matter to it
 */
public record BenchmarkModel(String name, Path file, String input, List<String> warmedShapes, String unwarmedShape,
		String convolution) {

	/**
	 * Write the detector (a conv net, about 2.4 MB) and the sequence model (1-D convs
	 * over token embeddings) and describe them with the profile's shapes.
	 * @param directory where the files go
	 * @param profile the shapes
	 * @return the detector and the sequence model
	 */
	public static List<BenchmarkModel> generate(Path directory, BenchmarkProfile profile) {
		return List.of(
				new BenchmarkModel("detector", write(directory.resolve("detector.onnx"), TestModels.detector()),
						"image", profile.detectorWarmed(), profile.detectorUnwarmed(), "2d"),
				new BenchmarkModel("sequence", write(directory.resolve("sequence.onnx"), TestModels.sequenceModel()),
						"tokens", profile.sequenceWarmed(), profile.sequenceUnwarmed(), "1d"));
	}

	/**
	 * The same file under another name, to load a model twice.
	 * @param otherName the name
	 * @return the copy
	 */
	public BenchmarkModel named(String otherName) {
		return new BenchmarkModel(otherName, this.file, this.input, this.warmedShapes, this.unwarmedShape,
				this.convolution);
	}

	/**
	 * The model in a trial, warmed at its warmed shapes.
	 * @return the spec
	 */
	public ModelSpec spec() {
		return new ModelSpec(this.name, this.file.toAbsolutePath().toString(),
				this.warmedShapes.stream().map((shape) -> Map.of(this.input, shape)).toList());
	}

	/**
	 * The model in a trial, warmed only at one shape.
	 * @param shape the shape
	 * @return the spec
	 */
	public ModelSpec specWarmedAt(String shape) {
		return new ModelSpec(this.name, this.file.toAbsolutePath().toString(), List.of(Map.of(this.input, shape)));
	}

	/**
	 * The probes of scenario 1 and 2: every warmed shape, then the unwarmed one.
	 * @return the probes
	 */
	public List<ProbeSpec> probes() {
		List<ProbeSpec> warmed = this.warmedShapes.stream()
			.map((shape) -> new ProbeSpec(this.name, Map.of(this.input, shape), true))
			.toList();
		return java.util.stream.Stream
			.concat(warmed.stream(),
					java.util.stream.Stream.of(new ProbeSpec(this.name, Map.of(this.input, this.unwarmedShape), false)))
			.toList();
	}

	private static Path write(Path file, byte[] bytes) {
		try {
			Files.createDirectories(file.getParent());
			return Files.write(file, bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

}
