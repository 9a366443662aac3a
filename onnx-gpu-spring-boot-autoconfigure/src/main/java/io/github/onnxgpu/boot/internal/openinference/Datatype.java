package io.github.onnxgpu.boot.internal.openinference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import org.jspecify.annotations.Nullable;

/**
 * The tensor datatypes of the Open Inference Protocol, with their size in bytes and the
 * ONNX element type each stands for. ONNX Runtime's Java API creates tensors of all but
 * the unsigned types wider than a byte ({@code UINT16}, {@code UINT32}, {@code UINT64}):
 * a model with such an input is listed with its datatype and refused at inference.
 */
public enum Datatype {

	/** One byte per element, 1 for true. */
	BOOL(1, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, OnnxJavaType.BOOL),

	/** Unsigned 8-bit integer. */
	UINT8(1, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, OnnxJavaType.UINT8),

	/** Unsigned 16-bit integer (no tensors from ONNX Runtime's Java API). */
	UINT16(2, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16, null),

	/** Unsigned 32-bit integer (no tensors from ONNX Runtime's Java API). */
	UINT32(4, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32, null),

	/** Unsigned 64-bit integer (no tensors from ONNX Runtime's Java API). */
	UINT64(8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64, null),

	/** Signed 8-bit integer. */
	INT8(1, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, OnnxJavaType.INT8),

	/** Signed 16-bit integer. */
	INT16(2, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, OnnxJavaType.INT16),

	/** Signed 32-bit integer. */
	INT32(4, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, OnnxJavaType.INT32),

	/** Signed 64-bit integer. */
	INT64(8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, OnnxJavaType.INT64),

	/** IEEE 754 half precision. */
	FP16(2, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, OnnxJavaType.FLOAT16),

	/** IEEE 754 single precision. */
	FP32(4, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, OnnxJavaType.FLOAT),

	/** IEEE 754 double precision. */
	FP64(8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, OnnxJavaType.DOUBLE),

	/** bfloat16: the upper 16 bits of a float (binary and raw contents only). */
	BF16(2, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16, OnnxJavaType.BFLOAT16),

	/** Strings of bytes, ONNX's STRING tensors (UTF-8 in ONNX Runtime's Java API). */
	BYTES(0, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, OnnxJavaType.STRING);

	private final int size;

	private final OnnxTensorType onnxType;

	private final @Nullable OnnxJavaType javaType;

	Datatype(int size, OnnxTensorType onnxType, @Nullable OnnxJavaType javaType) {
		this.size = size;
		this.onnxType = onnxType;
		this.javaType = javaType;
	}

	/**
	 * The size of an element in bytes, 0 for {@link #BYTES}.
	 * @return the size
	 */
	public int size() {
		return this.size;
	}

	/**
	 * The element type of ONNX Runtime's Java API for tensors of this datatype.
	 * @return the type, {@code null} when the Java API creates no such tensors
	 */
	public @Nullable OnnxJavaType javaType() {
		return this.javaType;
	}

	/**
	 * The datatype of an ONNX element type.
	 * @param onnxType the element type, as ONNX Runtime reads it from the model
	 * @return the datatype, {@code null} for types the protocol has no name for
	 */
	public static @Nullable Datatype of(OnnxTensorType onnxType) {
		for (Datatype datatype : values()) {
			if (datatype.onnxType == onnxType) {
				return datatype;
			}
		}
		return null;
	}

	/**
	 * The datatype of a protocol name.
	 * @param name the name, such as {@code FP32} (upper case, as the protocol writes it)
	 * @return the datatype, {@code null} when the protocol has no such datatype
	 */
	public static @Nullable Datatype named(String name) {
		try {
			return valueOf(name);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
