package io.github.onnxgpu.boot.internal.batching;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

import ai.onnxruntime.OnnxJavaType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link TensorBlocks}: stacking and splitting at offsets, in ONNX Runtime's
 * row-major layout.
 */
class TensorBlocksTests {

	@Test
	void batchInDimensionZeroStacksRunsOneAfterAnother() {
		// runs of 2 and 1 rows of 3 elements: [N, 3]
		FloatBuffer first = FloatBuffer.wrap(new float[] { 1, 2, 3, 4, 5, 6 });
		FloatBuffer second = FloatBuffer.wrap(new float[] { 7, 8, 9 });
		FloatBuffer target = FloatBuffer.allocate(9);
		TensorBlocks.stack(List.of(first, second), new int[] { 2, 1 }, 1, 3, target);
		assertThat(target.array()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
	}

	@Test
	void batchInDimensionOneInterleavesTheRunsInEachOuterBlock() {
		// shape [2, N, 2]: run a with N=2, run b with N=1
		FloatBuffer a = FloatBuffer.wrap(new float[] { 1, 2, 3, 4, /* block 2 */ 5, 6, 7, 8 });
		FloatBuffer b = FloatBuffer.wrap(new float[] { 10, 11, /* block 2 */ 12, 13 });
		FloatBuffer target = FloatBuffer.allocate(12);
		TensorBlocks.stack(List.of(a, b), new int[] { 2, 1 }, 2, 2, target);
		assertThat(target.array()).containsExactly(1, 2, 3, 4, 10, 11, 5, 6, 7, 8, 12, 13);
	}

	@Test
	void splitInDimensionOneGivesEachRunItsOwnBlocks() {
		ByteBuffer batch = bytes(1, 2, 3, 4, 10, 11, 5, 6, 7, 8, 12, 13);
		ByteBuffer[] parts = TensorBlocks.split(batch, new int[] { 2, 1 }, 2, 2 * Float.BYTES);
		assertThat(floats(parts[0])).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
		assertThat(floats(parts[1])).containsExactly(10, 11, 12, 13);
		assertThat(parts[0].isDirect()).isTrue();
	}

	@Test
	void splitInDimensionZeroGivesViewsAtEachRunsOffset() {
		ByteBuffer batch = bytes(1, 2, 3, 4, 5, 6, 7, 8, 9);
		ByteBuffer[] parts = TensorBlocks.split(batch, new int[] { 1, 2 }, 1, 3 * Float.BYTES);
		assertThat(floats(parts[0])).containsExactly(1, 2, 3);
		assertThat(floats(parts[1])).containsExactly(4, 5, 6, 7, 8, 9);
		// views: no copy of the batch
		batch.putFloat(3 * Float.BYTES, 40);
		assertThat(floats(parts[1])[0]).isEqualTo(40);
	}

	@Test
	void stackThenSplitGivesBackEveryRunsElements() {
		// [3, N, 2] with runs of 1, 3 and 2
		int[] counts = { 1, 3, 2 };
		List<Buffer> parts = List.of(FloatBuffer.wrap(sequence(100, 6)), FloatBuffer.wrap(sequence(200, 18)),
				FloatBuffer.wrap(sequence(300, 12)));
		ByteBuffer target = ByteBuffer.allocateDirect(36 * Float.BYTES).order(ByteOrder.nativeOrder());
		TensorBlocks.stack(parts, counts, 3, 2, TensorBlocks.typed(target, OnnxJavaType.FLOAT));
		ByteBuffer[] split = TensorBlocks.split(target, counts, 3, 2 * Float.BYTES);
		assertThat(floats(split[0])).containsExactly(sequence(100, 6));
		assertThat(floats(split[1])).containsExactly(sequence(200, 18));
		assertThat(floats(split[2])).containsExactly(sequence(300, 12));
	}

	@Test
	void batchTooSmallForTheCountsIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> TensorBlocks.split(bytes(1, 2, 3), new int[] { 1, 1 }, 1, 2 * Float.BYTES))
			.withMessageContaining("does not split into 2 samples");
	}

	private static float[] sequence(int from, int count) {
		float[] values = new float[count];
		for (int i = 0; i < count; i++) {
			values[i] = from + i;
		}
		return values;
	}

	private static ByteBuffer bytes(float... values) {
		ByteBuffer bytes = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
		bytes.asFloatBuffer().put(values);
		return bytes;
	}

	private static float[] floats(ByteBuffer bytes) {
		FloatBuffer view = bytes.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
		float[] values = new float[view.remaining()];
		view.get(values);
		return values;
	}

}
