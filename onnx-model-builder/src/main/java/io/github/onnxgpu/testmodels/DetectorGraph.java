package io.github.onnxgpu.testmodels;

import java.util.List;
import java.util.Random;

/**
 * The graph of {@link TestModels#detector()}: an encoder of 3x3 Conv + Relu stages down
 * to 1/16 resolution (16, 32, 64, 128 channels), a decoder that doubles the resolution
 * four times with nearest Resize and adds the encoder features of the same scale (skip
 * connections), then a 1x1 Conv and Sigmoid. Batch norm is taken as already folded into
 * the Conv weights and biases.
 */
final class DetectorGraph {

	private static final int[] CHANNELS = { 16, 32, 64, 128 };

	private DetectorGraph() {
	}

	static byte[] build() {
		OnnxModelBuilder builder = OnnxModelBuilder.graph("detector")
			.input("image", TensorType.FLOAT, "N", 3, "H", "W")
			.output("probability", TensorType.FLOAT, "N", 1, "H", "W");
		ConvLayers layers = new ConvLayers(builder, new Random(2024));
		String[] skips = new String[CHANNELS.length];
		String features = "image";
		int inChannels = 3;
		for (int stage = 0; stage < CHANNELS.length; stage++) {
			int channels = CHANNELS[stage];
			features = layers.conv2dRelu(features, inChannels, channels, 3, 2);
			features = layers.conv2dRelu(features, channels, channels, 3, 1);
			skips[stage] = features;
			inChannels = channels;
		}
		// Bottleneck at 1/16 resolution.
		features = layers.conv2dRelu(features, inChannels, inChannels, 3, 1);
		for (int stage = CHANNELS.length - 2; stage >= 0; stage--) {
			int channels = CHANNELS[stage];
			features = layers.conv2dRelu(layers.upsample2x(features), inChannels, channels, 3, 1);
			features = layers.conv2dRelu(layers.add(features, skips[stage]), channels, channels, 3, 1);
			inChannels = channels;
		}
		// Back from 1/2 to full resolution, then one logit per pixel.
		features = layers.conv2dRelu(layers.upsample2x(features), inChannels, inChannels, 3, 1);
		String logits = layers.conv2d(features, inChannels, 1, 1, 1);
		builder.node("Sigmoid", List.of(logits), List.of("probability"));
		return builder.toByteArray();
	}

}
