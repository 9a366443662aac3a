package io.github.onnxgpu.boot.internal.warmup.npy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import ai.onnxruntime.OnnxJavaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class NpyReaderTests {

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3 })
	void readWhenFloat32OfEachVersionGivesTypeShapeAndData(int version) {
		byte[] data = littleEndianFloats(1.5f, -2f, 3.25f, 0f, 7f, 8.5f);
		NpyArray array = read(
				NpyFiles.npy(version, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data));
		assertThat(array.type()).isEqualTo(OnnxJavaType.FLOAT);
		assertThat(array.shape()).containsExactly(2, 3);
		assertThat(array.elementCount()).isEqualTo(6);
		assertThat(array.data().isDirect()).isTrue();
		assertThat(array.data().order()).isEqualTo(ByteOrder.nativeOrder());
		assertThat(array.data().position()).isZero();
		assertThat(array.data().remaining()).isEqualTo(24);
		float[] floats = new float[6];
		array.data().duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(floats);
		assertThat(floats).containsExactly(1.5f, -2f, 3.25f, 0f, 7f, 8.5f);
	}

	@Test
	void readWhenVersion3HeaderHasUnicodeReadsIt() {
		// version 3 exists for UTF-8 headers, such as field names of structured arrays
		NpyArray array = read(NpyFiles.npy(3,
				"{'descr': '<i8', 'fortran_order': False, 'shape': (1,), 'note': 'größe'}", littleEndianLongs(42)));
		assertThat(array.type()).isEqualTo(OnnxJavaType.INT64);
		assertThat(array.data().getLong(0)).isEqualTo(42);
	}

	@ParameterizedTest
	@CsvSource({ "<f2, FLOAT16, 2", "<f4, FLOAT, 4", "<f8, DOUBLE, 8", "|i1, INT8, 1", "<i2, INT16, 2", "<i4, INT32, 4",
			"<i8, INT64, 8", "|u1, UINT8, 1", "|b1, BOOL, 1", "=f4, FLOAT, 4" })
	void readMapsNumpyDtypesToOnnxTypes(String dtype, OnnxJavaType type, int size) {
		NpyArray array = read(NpyFiles.npy(1, "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (3,), }",
				new byte[3 * size]));
		assertThat(array.type()).isEqualTo(type);
		assertThat(array.data().remaining()).isEqualTo(3 * size);
	}

	@Test
	void readWhenScalarGivesRankZero() {
		NpyArray array = read(NpyFiles.npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
				ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).array()));
		assertThat(array.shape()).isEmpty();
		assertThat(array.elementCount()).isEqualTo(1);
		assertThat(array.data().getDouble(0)).isEqualTo(0.25);
	}

	@Test
	void readWhenHeaderUsesDoubleQuotesOtherKeyOrderAndLongSuffixReadsIt() {
		NpyArray array = read(
				NpyFiles.npy(1, "{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"<i4\"}", new byte[8]));
		assertThat(array.shape()).containsExactly(2, 1);
		assertThat(array.type()).isEqualTo(OnnxJavaType.INT32);
	}

	@Test
	void readWhenFortranOrderOfOneSignificantDimensionAcceptsIt() {
		// a vector is laid out the same in both orders, so NumPy may mark it either way
		NpyArray array = read(
				NpyFiles.npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 4), }", new byte[16]));
		assertThat(array.shape()).containsExactly(1, 4);
	}

	@Test
	void readWhenFortranOrderRejectsIt() {
		assertThatExceptionOfType(NpyFormatException.class).isThrownBy(
				() -> read(NpyFiles.npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[24])))
			.withMessageContaining("sample.npy")
			.withMessageContaining("Fortran order")
			.withMessageContaining("numpy.ascontiguousarray");
	}

	@Test
	void readWhenBigEndianRejectsIt() {
		assertThatExceptionOfType(NpyFormatException.class).isThrownBy(
				() -> read(NpyFiles.npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", new byte[8])))
			.withMessageContaining("sample.npy")
			.withMessageContaining("big-endian")
			.withMessageContaining("newbyteorder('<')");
	}

	@Test
	void readWhenObjectArrayRejectsIt() {
		assertThatExceptionOfType(NpyFormatException.class).isThrownBy(
				() -> read(NpyFiles.npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new byte[16])))
			.withMessageContaining("sample.npy")
			.withMessageContaining("object array");
	}

	@ParameterizedTest
	@ValueSource(strings = { "<U5", "|S3", "<c8", "<u4", "<M8[ns]" })
	void readWhenUnsupportedDtypeRejectsItNamingTheSupportedOnes(String dtype) {
		assertThatExceptionOfType(NpyFormatException.class)
			.isThrownBy(() -> read(NpyFiles.npy(1,
					"{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (1,), }", new byte[40])))
			.withMessageContaining("sample.npy")
			.withMessageContaining("dtype " + dtype)
			.withMessageContaining("float32");
	}

	@Test
	void readWhenStructuredArrayRejectsIt() {
		assertThatExceptionOfType(NpyFormatException.class)
			.isThrownBy(() -> read(NpyFiles.npy(1,
					"{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }", new byte[8])))
			.withMessageContaining("structured array");
	}

	@Test
	void readWhenDataIsShortRejectsItAsTruncated() {
		assertThatExceptionOfType(NpyFormatException.class)
			.isThrownBy(() -> read(
					NpyFiles.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20])))
			.withMessageContaining("sample.npy")
			.withMessageContaining("truncated")
			.withMessageContaining("20 of the 24 data bytes");
	}

	@Test
	void readWhenHeaderIsCutRejectsItAsTruncated() {
		byte[] file = NpyFiles.npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[24]);
		assertThatExceptionOfType(NpyFormatException.class).isThrownBy(() -> read(Arrays.copyOf(file, 30)))
			.withMessageContaining("truncated in its header");
	}

	@Test
	void readWhenMagicIsWrongRejectsIt() {
		assertThatExceptionOfType(NpyFormatException.class)
			.isThrownBy(() -> read("PK\u0003\u0004 not an npy".getBytes()))
			.withMessageContaining("sample.npy")
			.withMessageContaining("is not a .npy file");
	}

	@Test
	void readWhenVersionIsUnknownRejectsIt() {
		byte[] file = NpyFiles.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
		file[6] = 4;
		assertThatExceptionOfType(NpyFormatException.class).isThrownBy(() -> read(file))
			.withMessageContaining("format version 4.0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{'descr': '<f4', 'shape': (1,)}", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,",
			"['<f4']", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
			"{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing" })
	void readWhenHeaderIsMalformedRejectsIt(String header) {
		assertThatExceptionOfType(NpyFormatException.class).isThrownBy(() -> read(NpyFiles.npy(1, header, new byte[4])))
			.withMessageContaining("sample.npy")
			.withMessageContaining(".npy");
	}

	@Test
	void readFromStreamLeavesFollowingBytesUnread() throws Exception {
		byte[] file = NpyFiles.npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", new byte[] { 7, 9 });
		byte[] withTrailer = Arrays.copyOf(file, file.length + 1);
		withTrailer[file.length] = 99;
		ByteArrayInputStream in = new ByteArrayInputStream(withTrailer);
		NpyArray array = NpyReader.read("stream", in);
		assertThat(array.data().get(1)).isEqualTo((byte) 9);
		assertThat(in.read()).isEqualTo(99);
	}

	private static NpyArray read(byte[] file) {
		return NpyReader.read(new ByteArrayResource(file, "sample.npy"));
	}

	private static byte[] littleEndianFloats(float... values) {
		ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (float value : values) {
			buffer.putFloat(value);
		}
		return buffer.array();
	}

	private static byte[] littleEndianLongs(long... values) {
		ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
		for (long value : values) {
			buffer.putLong(value);
		}
		return buffer.array();
	}

}
