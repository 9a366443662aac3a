package io.github.onnxgpu.boot.internal.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.onnxruntime.OrtEnvironment.OrtCompiledModelCompatibility;
import ai.onnxruntime.OrtException;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * The compiled-model (EP-context) cache of the models that ask for it
 * ({@code onnx.models.<name>.execution-provider.compile}): a model is compiled once per
 * provider, devices and settings into a folder of its own under the cache root, never
 * beside the user's model, and the compiled model is loaded at later starts while ONNX
 * Runtime's {@code getModelCompatibilityForEpDevices} says it fits; when it says
 * {@code PREFER_RECOMPILATION} or {@code UNSUPPORTED} the model is compiled again and the
 * cache's own file replaced. The compile and the compatibility question are seams: the
 * CPU provider makes no EP-context models, so the decisions are tested through them.
 */
public final class CompiledModelCache {

	/**
	 * The compiled model's file name in its folder.
	 */
	public static final String MODEL_FILE = "model_ctx.onnx";

	/**
	 * The file keeping the compiled model's compatibility information, as the provider
	 * wrote it into the compiled model's metadata.
	 */
	public static final String COMPATIBILITY_FILE = "compatibility-info.txt";

	/**
	 * The metadata key prefix under which ONNX Runtime's providers write a compiled
	 * model's compatibility information, followed by the provider's name.
	 */
	public static final String COMPATIBILITY_METADATA_PREFIX = "ep_compatibility_info.";

	private CompiledModelCache() {
	}

	/**
	 * The folder of a model's compiled models for one provider, devices and settings.
	 * @param root the cache root
	 * @param modelName the model
	 * @param modelSha256 the model file's SHA-256
	 * @param onnxRuntimeVersion the ONNX Runtime version
	 * @param provider the provider's name
	 * @param devices the devices the provider runs on
	 * @param options the provider options
	 * @return the folder: {@code root/<model>/<key>}
	 */
	public static Path directory(Path root, String modelName, String modelSha256, String onnxRuntimeVersion,
			String provider, List<ExecutionDevice> devices, Map<String, String> options) {
		StringBuilder text = new StringBuilder().append(modelSha256)
			.append('\n')
			.append(onnxRuntimeVersion)
			.append('\n')
			.append(provider);
		for (ExecutionDevice device : devices) {
			text.append('\n')
				.append(device.type())
				.append(':')
				.append(device.vendorId())
				.append(':')
				.append(device.deviceId());
		}
		new TreeMap<>(options).forEach((key, value) -> text.append('\n').append(key).append('=').append(value));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(text.toString().getBytes(StandardCharsets.UTF_8));
			return root.resolve(modelName).resolve(HexFormat.of().formatHex(digest, 0, 8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The default cache root: {@code onnx-gpu-spring-boot/compiled} beside the TensorRT
	 * caches, under {@code $XDG_CACHE_HOME} or {@code ~/.cache}.
	 * @return the root
	 */
	public static Path defaultRoot() {
		return TensorrtSettings.defaultCacheRoot().resolveSibling("compiled");
	}

	/**
	 * Find the compiled model in its folder, or compile it.
	 * @param modelName the model, for messages
	 * @param directory the model's folder in the cache
	 * @param compatibility asks ONNX Runtime whether a compiled model found fits
	 * @param compiler compiles the model
	 * @return the compiled model to load
	 * @throws OnnxModelException when the folder cannot be written or the model cannot be
	 * compiled
	 */
	public static Prepared prepare(String modelName, Path directory, Compatibility compatibility, Compiler compiler) {
		Path model = directory.resolve(MODEL_FILE);
		Path infoFile = directory.resolve(COMPATIBILITY_FILE);
		try {
			if (Files.isRegularFile(model)) {
				String info = Files.isRegularFile(infoFile) ? Files.readString(infoFile).strip() : null;
				OrtCompiledModelCompatibility answer = (info != null && !info.isEmpty()) ? compatibility.check(info)
						: null;
				if (answer == null || answer == OrtCompiledModelCompatibility.EP_SUPPORTED_OPTIMAL
						|| answer == OrtCompiledModelCompatibility.EP_NOT_APPLICABLE) {
					return new Prepared(directory, model, CompiledModelState.HIT, answer);
				}
				// the cache's own files, in its own folder
				Files.deleteIfExists(infoFile);
				compile(directory, model, compiler);
				return new Prepared(directory, model, CompiledModelState.RECOMPILED, answer);
			}
			Files.createDirectories(directory);
			compile(directory, model, compiler);
			return new Prepared(directory, model, CompiledModelState.BUILT, null);
		}
		catch (IOException ex) {
			throw new OnnxModelException(modelName,
					OnnxModelException.modelProperty(modelName, "execution-provider.compiled-model-directory"),
					"the compiled-model cache " + directory + " cannot be used: " + ex,
					"point it at a writable folder (a volume in a container), or set "
							+ OnnxModelException.modelProperty(modelName, "execution-provider.compile") + "=false",
					ex);
		}
		catch (OrtException ex) {
			throw new OnnxModelException(modelName,
					OnnxModelException.modelProperty(modelName, "execution-provider.compile"),
					"the model cannot be compiled for its execution provider: " + CudaProviderSelector.reason(ex),
					"check that the provider makes EP-context models (TensorRT, TensorRT RTX, OpenVINO, QNN) and its "
							+ "options, or set "
							+ OnnxModelException.modelProperty(modelName, "execution-provider.compile") + "=false",
					ex);
		}
	}

	/**
	 * Keep the compatibility information of a compiled model, read from its metadata once
	 * a session of it exists.
	 * @param prepared the compiled model
	 * @param metadata the compiled model's custom metadata
	 * @param provider the provider's name
	 * @throws IOException when it cannot be written
	 */
	public static void keepCompatibility(Prepared prepared, Map<String, String> metadata, String provider)
			throws IOException {
		String info = metadata.get(COMPATIBILITY_METADATA_PREFIX + provider);
		if (info != null && prepared.state() != CompiledModelState.HIT) {
			Files.writeString(prepared.directory().resolve(COMPATIBILITY_FILE), info);
		}
	}

	// written beside its final name, then moved: a start killed while compiling leaves
	// no half file under that name
	private static void compile(Path directory, Path model, Compiler compiler) throws IOException, OrtException {
		Path partial = Files.createTempFile(directory, "compiling-", ".onnx");
		Files.delete(partial);
		try {
			compiler.compile(partial);
			try {
				Files.move(partial, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(partial, model, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}

	/**
	 * Compiles a model into an EP-context model.
	 */
	@FunctionalInterface
	public interface Compiler {

		/**
		 * Compile the model.
		 * @param output the file to write, which does not exist yet
		 * @throws OrtException when ONNX Runtime cannot compile it
		 * @throws IOException when the model cannot be read or the output written
		 */
		void compile(Path output) throws OrtException, IOException;

	}

	/**
	 * Asks whether a compiled model fits the devices and driver of this host.
	 */
	@FunctionalInterface
	public interface Compatibility {

		/**
		 * Check the compatibility information of a compiled model.
		 * @param info what the provider wrote into the compiled model
		 * @return the answer of ONNX Runtime
		 * @throws OrtException when ONNX Runtime cannot answer
		 */
		OrtCompiledModelCompatibility check(String info) throws OrtException;

	}

	/**
	 * The compiled model to load.
	 *
	 * @param directory the model's folder in the cache
	 * @param model the compiled model
	 * @param state what the cache did
	 * @param compatibility ONNX Runtime's answer for a model found in the cache,
	 * {@code null} when none was there or it kept no compatibility information
	 */
	public record Prepared(Path directory, Path model, CompiledModelState state,
			@Nullable OrtCompiledModelCompatibility compatibility) {
	}

}
