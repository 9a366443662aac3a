package io.github.onnxgpu.boot.internal.tuning;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.onnxgpu.testmodels.Attribute;
import io.github.onnxgpu.testmodels.OnnxModelBuilder;
import io.github.onnxgpu.testmodels.TensorType;
import io.github.onnxgpu.testmodels.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link ConvolutionScan}.
 * <p>
 * Not tested: convolutions inside model-local functions, as {@link OnnxModelBuilder}
 * writes no functions.
 */
class ConvolutionScanTests {

	@Test
	void hasOneDimensionalConvolutionWhenWeightHasThreeDimsAndNoKernelShape() throws IOException {
		assertThat(scan(TestModels.conv1dNet())).isTrue();
	}

	@Test
	void hasOneDimensionalConvolutionWhenKernelShapeHasOneElement() throws IOException {
		assertThat(scan(TestModels.conv1dNetWithKernelShape())).isTrue();
		assertThat(scan(TestModels.sequenceModel())).isTrue();
	}

	@Test
	void hasOneDimensionalConvolutionWhenConvTransposeIsOneDimensional() throws IOException {
		byte[] model = OnnxModelBuilder.graph("conv_transpose_1d")
			.input("x", TensorType.FLOAT, "N", 4, "L")
			.output("y", TensorType.FLOAT, "N", 2, "M")
			.initializer("w", new float[4 * 2 * 3], 4, 2, 3)
			.node("ConvTranspose", List.of("x", "w"), List.of("y"))
			.toByteArray();
		assertThat(scan(model)).isTrue();
	}

	@Test
	void hasOneDimensionalConvolutionWhenConvolutionsAreTwoDimensionalIsFalse() throws IOException {
		assertThat(scan(TestModels.convNet())).isFalse();
		assertThat(scan(TestModels.staticConvNet())).isFalse();
		assertThat(scan(TestModels.detector())).isFalse();
	}

	@Test
	void hasOneDimensionalConvolutionWhenTwoDimensionalWithoutKernelShapeIsFalse() throws IOException {
		byte[] model = OnnxModelBuilder.graph("conv_2d")
			.input("x", TensorType.FLOAT, "N", 1, "H", "W")
			.output("y", TensorType.FLOAT, "N", 1, "H", "W")
			.initializer("w", new float[9], 1, 1, 3, 3)
			.node("Conv", List.of("x", "w"), List.of("y"), Attribute.ints("pads", 1, 1, 1, 1))
			.toByteArray();
		assertThat(scan(model)).isFalse();
	}

	@Test
	void hasOneDimensionalConvolutionWhenThreeDimensionalInitializerFeedsAnotherOperatorIsFalse() throws IOException {
		byte[] model = OnnxModelBuilder.graph("add_3d")
			.input("x", TensorType.FLOAT, "N", 4, 3)
			.output("y", TensorType.FLOAT, "N", 4, 3)
			.initializer("offset", new float[12], 1, 4, 3)
			.node("Add", List.of("x", "offset"), List.of("y"))
			.toByteArray();
		assertThat(scan(model)).isFalse();
	}

	@Test
	void hasOneDimensionalConvolutionWhenInsideASubgraphOverAnOuterWeight() throws IOException {
		// the main graph holds only If; the 1-D convolution is in its branches, its
		// weight
		// an initializer of the main graph, written after the node that uses it
		assertThat(scan(ifOverConvolutions(new float[2 * 4 * 3], 2, 4, 3))).isTrue();
	}

	@Test
	void hasOneDimensionalConvolutionWhenInsideASubgraphTwoDimensionalIsFalse() throws IOException {
		assertThat(scan(ifOverConvolutions(new float[2 * 4 * 3 * 3], 2, 4, 3, 3))).isFalse();
	}

	/**
	 * {@code y = cond ? Conv(x, w) : Conv(x, w)}, the convolutions inside the branches of
	 * an {@code If}, {@code w} an initializer of the main graph.
	 */
	private static byte[] ifOverConvolutions(float[] weight, long... weightDims) {
		boolean oneDimensional = weightDims.length == 3;
		Object[] in = oneDimensional ? new Object[] { "N", 4, "L" } : new Object[] { "N", 4, "H", "W" };
		Object[] out = oneDimensional ? new Object[] { "N", 2, "M" } : new Object[] { "N", 2, "P", "Q" };
		return OnnxModelBuilder.graph("if_conv")
			.input("cond", TensorType.BOOL)
			.input("x", TensorType.FLOAT, in)
			.output("y", TensorType.FLOAT, out)
			.node("If", List.of("cond"), List.of("y"), Attribute.graph("then_branch", branch("then", out)),
					Attribute.graph("else_branch", branch("else", out)))
			.initializer("w", weight, weightDims)
			.toByteArray();
	}

	private static OnnxModelBuilder branch(String name, Object[] out) {
		return OnnxModelBuilder.graph(name)
			.output(name + "_y", TensorType.FLOAT, out)
			.node("Conv", List.of("x", "w"), List.of(name + "_y"));
	}

	@Test
	void hasOneDimensionalConvolutionWhenNoConvolutionIsFalse() throws IOException {
		assertThat(scan(TestModels.embeddingModel())).isFalse();
		assertThat(scan(TestModels.allTypes())).isFalse();
		assertThat(scan(TestModels.voiceActivityDetector())).isFalse();
	}

	@Test
	void hasOneDimensionalConvolutionWhenTruncatedThrowsSayingSo() {
		for (byte[] model : List.of(TestModels.conv1dNet(), TestModels.conv1dNetWithKernelShape(), TestModels.convNet(),
				TestModels.detector())) {
			assertThatIOException().isThrownBy(() -> scan(TestModels.truncated(model)))
				.withMessageContaining("truncated");
		}
	}

	@Test
	void hasOneDimensionalConvolutionWhenAnyPrefixOfAModelThrows() {
		// The 1-D convolution is found early, yet a model cut anywhere is reported.
		byte[] model = TestModels.conv1dNetWithKernelShape();
		for (int length = 0; length < model.length; length++) {
			byte[] prefix = Arrays.copyOf(model, length);
			assertThatIOException().as("first %d of %d bytes", length, model.length).isThrownBy(() -> scan(prefix));
		}
	}

	@Test
	void hasOneDimensionalConvolutionWhenRandomBytesThrows() {
		for (int seed = 0; seed < 200; seed++) {
			byte[] bytes = new byte[1 + seed * 50];
			new Random(seed).nextBytes(bytes);
			assertThatIOException().as("seed %d", seed).isThrownBy(() -> scan(bytes));
		}
	}

	@Test
	void hasOneDimensionalConvolutionWhenGitLfsPointerThrowsNotAnOnnxModel() {
		assertThatIOException().isThrownBy(() -> scan(TestModels.gitLfsPointer()))
			.withMessageStartingWith("Not an ONNX model");
	}

	@Test
	void hasOneDimensionalConvolutionWhenFieldClaimsMoreBytesThanItsMessageThrows() {
		byte[] model = TestModels.conv1dNet();
		// ModelProto.graph (field 7, length-delimited) starts with a NodeProto (field 1):
		// make the node's length claim 32 MiB, far more than the graph holds.
		int graph = indexOf(model, (byte) 0x3A);
		byte[] corrupt = model.clone();
		int node = graph + 1 + varintLength(model, graph + 1);
		assertThat(corrupt[node]).isEqualTo((byte) 0x0A);
		corrupt[node + 1] = (byte) 0xFF;
		corrupt[node + 2] = (byte) 0xFF;
		corrupt[node + 3] = (byte) 0xFF;
		corrupt[node + 4] = (byte) 0x0F;
		assertThatIOException().isThrownBy(() -> scan(corrupt))
			.withMessageStartingWith("Not an ONNX model or corrupt")
			.withMessageContaining("are left in its enclosing message");
	}

	@Test
	void hasOneDimensionalConvolutionWhenWeightIsLargeSkipsItsData() throws IOException {
		int length = 32 * 1024;
		byte[] model = OnnxModelBuilder.graph("wide_conv_1d")
			.input("x", TensorType.FLOAT, "N", 8, "L")
			.output("y", TensorType.FLOAT, "N", 4, "M")
			.initializer("w", new float[4 * 8 * length], 4, 8, length)
			.node("Conv", List.of("x", "w"), List.of("y"))
			.toByteArray();
		assertThat(model.length).isGreaterThan(4_000_000);
		CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(model));
		assertThat(ConvolutionScan.hasOneDimensionalConvolution(in)).isTrue();
		assertThat(in.bytesRead).isLessThan(64 * 1024);
	}

	private static boolean scan(byte[] model) throws IOException {
		return ConvolutionScan.hasOneDimensionalConvolution(new ByteArrayInputStream(model));
	}

	private static int indexOf(byte[] bytes, byte value) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		throw new IllegalStateException("No byte " + value);
	}

	private static int varintLength(byte[] bytes, int start) {
		int end = start;
		while (bytes[end] < 0) {
			end++;
		}
		return end - start + 1;
	}

	/** Counts the bytes read, not those skipped. */
	private static final class CountingInputStream extends FilterInputStream {

		private long bytesRead;

		CountingInputStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int value = super.read();
			if (value >= 0) {
				this.bytesRead++;
			}
			return value;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int count = super.read(buffer, offset, length);
			if (count > 0) {
				this.bytesRead += count;
			}
			return count;
		}

	}

}
