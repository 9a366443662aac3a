package io.github.onnxgpu.testmodels;

/**
 * Element types of ONNX tensors, with their {@code TensorProto.DataType} codes from
 * onnx.proto.
 */
public enum TensorType {

	/** 32-bit IEEE float. */
	FLOAT(1),
	/** Unsigned 8-bit integer. */
	UINT8(2),
	/** Signed 8-bit integer. */
	INT8(3),
	/** Unsigned 16-bit integer. */
	UINT16(4),
	/** Signed 16-bit integer. */
	INT16(5),
	/** Signed 32-bit integer. */
	INT32(6),
	/** Signed 64-bit integer. */
	INT64(7),
	/** UTF-8 string. */
	STRING(8),
	/** Boolean, one byte per element. */
	BOOL(9),
	/** IEEE 754 half precision float. */
	FLOAT16(10),
	/** 64-bit IEEE float. */
	DOUBLE(11),
	/** Unsigned 32-bit integer. */
	UINT32(12),
	/** Unsigned 64-bit integer. */
	UINT64(13),
	/** bfloat16: a float truncated to its upper 16 bits. */
	BFLOAT16(16);

	private final int code;

	TensorType(int code) {
		this.code = code;
	}

	/**
	 * Returns the ONNX {@code TensorProto.DataType} code.
	 * @return the code written into models
	 */
	public int code() {
		return this.code;
	}

}
