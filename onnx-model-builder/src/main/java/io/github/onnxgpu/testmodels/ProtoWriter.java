package io.github.onnxgpu.testmodels;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal protobuf wire-format writer: just the field kinds the ONNX messages need. Kept
 * hand-written so that the module needs no protobuf library.
 */
final class ProtoWriter {

	private static final int WIRE_VARINT = 0;

	private static final int WIRE_LENGTH_DELIMITED = 2;

	private static final int WIRE_FIXED32 = 5;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	/**
	 * Writes an integer field (int32, int64 or enum); negative values take ten bytes, as
	 * protobuf requires.
	 */
	ProtoWriter varint(int field, long value) {
		tag(field, WIRE_VARINT);
		rawVarint(value);
		return this;
	}

	/** Writes a single float field. */
	ProtoWriter fixedFloat(int field, float value) {
		tag(field, WIRE_FIXED32);
		rawFixed32(Float.floatToIntBits(value));
		return this;
	}

	/** Writes a UTF-8 string field. */
	ProtoWriter string(int field, String value) {
		return bytes(field, value.getBytes(StandardCharsets.UTF_8));
	}

	/** Writes a bytes field, also used for already encoded nested messages. */
	ProtoWriter bytes(int field, byte[] value) {
		tag(field, WIRE_LENGTH_DELIMITED);
		rawVarint(value.length);
		this.out.writeBytes(value);
		return this;
	}

	/** Writes a nested message. */
	ProtoWriter message(int field, ProtoWriter message) {
		return bytes(field, message.toByteArray());
	}

	/**
	 * Writes repeated integers in packed form. Parsers must accept packed encoding for
	 * any repeated scalar field, even where the proto2 schema does not ask for it.
	 */
	ProtoWriter packedVarints(int field, long... values) {
		ProtoWriter payload = new ProtoWriter();
		for (long value : values) {
			payload.rawVarint(value);
		}
		return bytes(field, payload.toByteArray());
	}

	/** Writes repeated floats in packed form (four little-endian bytes each). */
	ProtoWriter packedFloats(int field, float... values) {
		ProtoWriter payload = new ProtoWriter();
		for (float value : values) {
			payload.rawFixed32(Float.floatToIntBits(value));
		}
		return bytes(field, payload.toByteArray());
	}

	/** Returns the bytes written so far. */
	byte[] toByteArray() {
		return this.out.toByteArray();
	}

	private void tag(int field, int wireType) {
		rawVarint(((long) field << 3) | wireType);
	}

	private void rawVarint(long value) {
		// Unsigned shift: a negative int64 becomes ten 7-bit groups, never an endless
		// loop.
		while ((value & ~0x7FL) != 0) {
			this.out.write((int) ((value & 0x7F) | 0x80));
			value >>>= 7;
		}
		this.out.write((int) value);
	}

	private void rawFixed32(int bits) {
		this.out.write(bits);
		this.out.write(bits >>> 8);
		this.out.write(bits >>> 16);
		this.out.write(bits >>> 24);
	}

}
