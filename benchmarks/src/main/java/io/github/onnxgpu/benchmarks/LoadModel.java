package io.github.onnxgpu.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;

/**
 * A generated model of the load scenario: a chain of {@code MatMul} and {@code Relu}
 * layers of {@code width x width} weights over {@code rows} rows per sample, with a
 * dynamic batch dimension 0. Input {@code x} and output {@code y} are {@code [N, rows *
 * width]} floats; with more than one row, each sample is reshaped to
 * {@code [rows, width]} in between, so that a sample is a small matrix product (like a
 * short sequence through a few dense layers) rather than a vector product.
 * <p>
 * The sizes are fixed, calibrated once on the project's 2-core machine to about 0.1 ms, 1
 * ms and 10 ms a run at batch 1 (the results state each model's measured single-run time,
 * since it depends on the machine). Batching helps the first most (a vector product is
 * bound by reading the weights, which a batch reads once) and the last least (a matrix
 * product already keeps the cores busy).
 *
 * @param name the model's name in {@code onnx.models.<name>}
 * @param nominal the run time it was sized for at batch 1, such as {@code 0.1 ms}
 * @param rows rows per sample
 * @param width the width of every layer
 * @param layers {@code MatMul} and {@code Relu} layers
 */
public record LoadModel(String name, String nominal, int rows, int width, int layers) {

	/** The name of the input. */
	public static final String INPUT = "x";

	/** The name of the output. */
	public static final String OUTPUT = "y";

	/**
	 * The models of the load scenario, about 0.1 ms, 1 ms and 10 ms a run on the
	 * project's 2-core CPU.
	 * @return the models
	 */
	public static List<LoadModel> all() {
		return List.of(new LoadModel("tiny", "0.1 ms", 1, 512, 6), new LoadModel("small", "1 ms", 40, 512, 8),
				new LoadModel("large", "10 ms", 336, 512, 14));
	}

	/**
	 * The model of this name.
	 * @param name its name
	 * @return the model
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static LoadModel named(String name) {
		return all().stream()
			.filter((model) -> model.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"No load model '" + name + "'; the models are " + all().stream().map(LoadModel::name).toList()));
	}

	/**
	 * The floats of one sample: the second dimension of the input.
	 * @return {@code rows * width}
	 */
	public int features() {
		return this.rows * this.width;
	}

	/**
	 * The input shape at batch size 1, as warmup shapes are written.
	 * @return such as {@code 1x4096}
	 */
	public String sampleShape() {
		return "1x" + features();
	}

	/**
	 * A short description for tables.
	 * @return such as {@code 8 x MatMul 256x256 + Relu over 16 rows}
	 */
	public String description() {
		return this.layers + " x MatMul " + this.width + "x" + this.width + " + Relu over " + this.rows
				+ ((this.rows == 1) ? " row" : " rows") + ", input [N, " + features() + "]";
	}

	/**
	 * Write the model file, weights from a fixed seed.
	 * @param directory where it goes
	 * @return the file
	 */
	public Path write(Path directory) {
		return build().writeTo(directory.resolve(this.name + ".onnx"));
	}

	OnnxModelBuilder build() {
		OnnxModelBuilder builder = OnnxModelBuilder.graph("load-" + this.name)
			.input(INPUT, TensorType.FLOAT, "N", features())
			.output(OUTPUT, TensorType.FLOAT, "N", features());
		Random random = new Random(this.name.hashCode());
		String current = INPUT;
		if (this.rows > 1) {
			builder.initializer("rows_shape", new long[] { -1, this.rows, this.width }, 3);
			builder.node("Reshape", List.of(INPUT, "rows_shape"), List.of("h0"));
			current = "h0";
		}
		// weights of about 1/sqrt(width) keep the activations of the Relu chain in range
		float scale = (float) (2 / Math.sqrt(this.width));
		for (int layer = 1; layer <= this.layers; layer++) {
			float[] weights = new float[this.width * this.width];
			for (int i = 0; i < weights.length; i++) {
				weights[i] = (random.nextFloat() - 0.5f) * scale;
			}
			String name = "w" + layer;
			builder.initializer(name, weights, this.width, this.width);
			String product = "m" + layer;
			String activation = (layer == this.layers && this.rows == 1) ? OUTPUT : "h" + layer;
			builder.node("MatMul", List.of(current, name), List.of(product));
			builder.node("Relu", List.of(product), List.of(activation));
			current = activation;
		}
		if (this.rows > 1) {
			builder.initializer("sample_shape", new long[] { -1, features() }, 2);
			builder.node("Reshape", List.of(current, "sample_shape"), List.of(OUTPUT));
		}
		return builder;
	}

}
