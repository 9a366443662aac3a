package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import ai.onnxruntime.OrtEnvironment;

/**
 * Copies ONNX Runtime's core and JNI libraries out of the jar on the class path
 * (linux-x64), as a folder of the user's own for {@code onnx.native.path} would hold
 * them.
 */
public final class OnnxRuntimeLibraries {

	private OnnxRuntimeLibraries() {
	}

	/**
	 * Copy the core and JNI libraries.
	 * @param folder the folder to copy them to
	 * @throws IOException when the jar cannot be read
	 */
	public static void extract(Path folder) throws IOException {
		Path jar;
		try {
			jar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IOException("Cannot locate the ONNX Runtime jar", ex);
		}
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			for (String library : new String[] { "libonnxruntime.so", "libonnxruntime4j_jni.so" }) {
				try (InputStream in = zip.getInputStream(zip.getEntry("ai/onnxruntime/native/linux-x64/" + library))) {
					Files.copy(in, folder.resolve(library));
				}
			}
		}
	}

}
