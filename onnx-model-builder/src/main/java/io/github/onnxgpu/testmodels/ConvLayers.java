package io.github.onnxgpu.testmodels;

import java.util.List;
import java.util.Random;

/**
 * Adds common layers to a graph under generated names, drawing weights from a seeded
 * {@link Random} so that every model is the same on every run.
 */
final class ConvLayers {

	private static final String UPSAMPLE_SCALES = "upsample2x.scales";

	private final OnnxModelBuilder builder;

	private final Random random;

	private int layerCount;

	private boolean upsampleScalesAdded;

	ConvLayers(OnnxModelBuilder builder, Random random) {
		this.builder = builder;
		this.random = random;
	}

	/**
	 * He-normal weights (Gaussian * sqrt(2 / fanIn)): keeps activations of deep Relu
	 * stacks near unit scale, so outputs stay finite.
	 */
	static float[] heNormal(Random random, int count, int fanIn) {
		double scale = Math.sqrt(2.0 / fanIn);
		float[] values = new float[count];
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) (random.nextGaussian() * scale);
		}
		return values;
	}

	/** Small non-zero biases, so that a broken bias encoding would show in outputs. */
	static float[] smallBias(Random random, int count) {
		float[] values = new float[count];
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) (random.nextGaussian() * 0.05);
		}
		return values;
	}

	/** Square 2-D convolution with bias and "same" padding; returns the output name. */
	String conv2d(String input, int inChannels, int outChannels, int kernel, int stride) {
		int fanIn = inChannels * kernel * kernel;
		float[] weight = heNormal(this.random, outChannels * fanIn, fanIn);
		float[] bias = smallBias(this.random, outChannels);
		return conv2d(input, nextName("conv"), weight, bias, inChannels, outChannels, kernel, stride);
	}

	/**
	 * Square 2-D convolution with the given weights (OIHW) and "same" padding; returns
	 * {@code output}.
	 */
	String conv2d(String input, String output, float[] weight, float[] bias, int inChannels, int outChannels,
			int kernel, int stride) {
		int pad = kernel / 2;
		this.builder.initializer(output + ".weight", weight, outChannels, inChannels, kernel, kernel)
			.initializer(output + ".bias", bias, outChannels)
			.node("Conv", List.of(input, output + ".weight", output + ".bias"), List.of(output),
					Attribute.ints("kernel_shape", kernel, kernel), Attribute.ints("pads", pad, pad, pad, pad),
					Attribute.ints("strides", stride, stride));
		return output;
	}

	/** 2-D convolution followed by Relu; returns the output name. */
	String conv2dRelu(String input, int inChannels, int outChannels, int kernel, int stride) {
		return relu(conv2d(input, inChannels, outChannels, kernel, stride));
	}

	/**
	 * 1-D convolution over [N, C, L] with bias and "same" padding; returns the output
	 * name.
	 */
	String conv1d(String input, int inChannels, int outChannels, int kernel) {
		int fanIn = inChannels * kernel;
		String output = nextName("conv");
		this.builder
			.initializer(output + ".weight", heNormal(this.random, outChannels * fanIn, fanIn), outChannels, inChannels,
					kernel)
			.initializer(output + ".bias", smallBias(this.random, outChannels), outChannels)
			.node("Conv", List.of(input, output + ".weight", output + ".bias"), List.of(output),
					Attribute.ints("kernel_shape", kernel), Attribute.ints("pads", kernel / 2, kernel / 2));
		return output;
	}

	/** Relu under a generated name. */
	String relu(String input) {
		return relu(input, nextName("relu"));
	}

	/** Relu writing to {@code output}. */
	String relu(String input, String output) {
		this.builder.node("Relu", List.of(input), List.of(output));
		return output;
	}

	/** Element-wise sum, used for skip connections. */
	String add(String left, String right) {
		String output = nextName("add");
		this.builder.node("Add", List.of(left, right), List.of(output));
		return output;
	}

	/** Nearest-neighbour Resize doubling height and width of an NCHW tensor. */
	String upsample2x(String input) {
		if (!this.upsampleScalesAdded) {
			this.builder.initializer(UPSAMPLE_SCALES, new float[] { 1, 1, 2, 2 }, 4);
			this.upsampleScalesAdded = true;
		}
		String output = nextName("upsample");
		// Resize-13 inputs: X, roi (unused, left empty), scales.
		this.builder.node("Resize", List.of(input, "", UPSAMPLE_SCALES), List.of(output),
				Attribute.string("mode", "nearest"));
		return output;
	}

	private String nextName(String prefix) {
		return prefix + (this.layerCount++);
	}

}
