package io.github.onnxgpu.boot.internal.warmup;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyFormatException;
import io.github.onnxgpu.boot.internal.warmup.npy.NpyReader;

/**
 * Warmup samples read from NumPy {@code .npy} files, under {@code warmup.samples}, such
 * as {@code - x: classpath:/warmup/page-640.npy}: real data (a preprocessed image, an
 * audio frame) instead of zeros. Every entry is a resource location. The file's shape
 * becomes the sample's shape for that input, and is checked against the model like a
 * written shape; its element type must be the input's.
 */
public final class WarmupFiles implements WarmupSource {

	private static final ResourceLoader RESOURCE_LOADER = new DefaultResourceLoader();

	WarmupFiles() {
	}

	@Override
	public String property() {
		return "warmup.samples";
	}

	@Override
	public Input read(String modelName, String property, String input, @Nullable String text) {
		NpyArray array = read(RESOURCE_LOADER, modelName, property, input, (text != null) ? text : "");
		return new Input(array.shape(), array);
	}

	@Override
	public String suggest(String property, String dimensions) {
		return property + "=<a .npy file of shape " + dimensions + ">";
	}

	/**
	 * Read a sample file.
	 * @param resourceLoader resolves the location
	 * @param modelName the model, for messages
	 * @param property the entry's property, for messages
	 * @param input the input the file is for
	 * @param location the resource location
	 * @return the array
	 * @throws OnnxModelException when the file is missing or not a supported array
	 */
	public static NpyArray read(ResourceLoader resourceLoader, String modelName, String property, String input,
			String location) {
		Resource resource = resourceLoader.getResource(location.strip());
		if (!resource.exists()) {
			throw new OnnxModelException(modelName, property, "warmup file " + location.strip() + " does not exist",
					"point it at a .npy file, such as classpath:/warmup/" + input + ".npy; dimensions such as "
							+ "1x3x640x640 go under " + OnnxModelException.modelProperty(modelName, "warmup.shapes"));
		}
		try {
			return NpyReader.read(resource);
		}
		catch (NpyFormatException ex) {
			throw new OnnxModelException(modelName, property, "warmup file " + ex.getMessage(),
					"save the sample with numpy.save as a C-ordered little-endian array of the input's type", ex);
		}
	}

	/**
	 * Check that a file's element type is the input's. Its shape is checked like a
	 * written shape, by the warmup plan.
	 * @param modelName the model, for messages
	 * @param property the entry's property, for messages
	 * @param input the input
	 * @param tensor the model's input
	 * @param array the file's array
	 * @throws OnnxModelException when the types differ
	 */
	public static void checkType(String modelName, String property, String input, TensorInfo tensor, NpyArray array) {
		if (tensor.type != array.type()) {
			throw new OnnxModelException(modelName, property,
					"warmup file holds " + array.type() + " elements but input '" + input + "' takes " + tensor.type,
					"save the array as " + numpyName(tensor) + " (array.astype(numpy." + numpyName(tensor) + "))");
		}
	}

	/**
	 * A tensor over the file's data, without copying it.
	 * @param environment the environment
	 * @param array the array
	 * @return a new tensor the caller closes
	 * @throws OrtException when ONNX Runtime refuses the tensor
	 */
	public static OnnxTensor tensor(OrtEnvironment environment, NpyArray array) throws OrtException {
		// the tensor reads the buffer in place: give it a view so that its position stays
		// 0
		return OnnxTensor.createTensor(environment, array.data().duplicate().order(array.data().order()), array.shape(),
				array.type());
	}

	private static String numpyName(TensorInfo tensor) {
		return switch (tensor.type) {
			case FLOAT -> "float32";
			case DOUBLE -> "float64";
			case FLOAT16 -> "float16";
			case INT8 -> "int8";
			case INT16 -> "int16";
			case INT32 -> "int32";
			case INT64 -> "int64";
			case UINT8 -> "uint8";
			case BOOL -> "bool_";
			default -> tensor.type.name().toLowerCase(java.util.Locale.ROOT);
		};
	}

}
