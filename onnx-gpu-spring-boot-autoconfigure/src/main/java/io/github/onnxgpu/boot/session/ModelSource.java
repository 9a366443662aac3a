package io.github.onnxgpu.boot.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Reads a model file and checks it is what the configuration says, before ONNX Runtime
 * sees it: that it exists, is not a Git LFS pointer, and matches its SHA-256.
 *
 * @since 0.1.0
 */
final class ModelSource {

	private static final byte[] LFS_POINTER_START = "version https://git-lfs.github.com/spec/"
		.getBytes(StandardCharsets.US_ASCII);

	private ModelSource() {
	}

	static byte[] read(ModelDefinition definition) {
		String name = definition.name();
		String locationProperty = OnnxModelException.modelProperty(name, "location");
		Resource location = definition.location();
		if (location == null) {
			throw new OnnxModelException(name, locationProperty, "no model location is set",
					"set " + locationProperty + " to the model file, such as classpath:/models/" + name + ".onnx");
		}
		if (!location.exists()) {
			throw new OnnxModelException(name, locationProperty,
					"the model file " + definition.describeLocation() + " does not exist",
					"correct " + locationProperty + " or put the model file there");
		}
		byte[] bytes = readAll(definition, location, locationProperty);
		if (startsWith(bytes, LFS_POINTER_START)) {
			throw new OnnxModelException(name, locationProperty,
					"the model file " + definition.describeLocation() + " is a Git LFS pointer, not the model",
					"fetch the real file with 'git lfs pull' (or install Git LFS before cloning)");
		}
		checkSha256(definition, bytes);
		return bytes;
	}

	private static byte[] readAll(ModelDefinition definition, Resource location, String locationProperty) {
		try (InputStream input = location.getInputStream()) {
			return input.readAllBytes();
		}
		catch (IOException ex) {
			throw new OnnxModelException(definition.name(), locationProperty,
					"the model file " + definition.describeLocation() + " cannot be read: " + ex.getMessage(),
					"check that the file is readable by the application", ex);
		}
	}

	private static void checkSha256(ModelDefinition definition, byte[] bytes) {
		String expected = definition.sha256();
		if (expected == null || expected.isBlank()) {
			return;
		}
		String actual = sha256(bytes);
		if (!actual.equalsIgnoreCase(expected.strip())) {
			String property = OnnxModelException.modelProperty(definition.name(), "sha256");
			throw new OnnxModelException(definition.name(), property,
					"the model file " + definition.describeLocation() + " has SHA-256 " + actual + ", expected "
							+ expected.strip(),
					"deploy the model file the checksum belongs to, or update " + property);
		}
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean startsWith(byte[] bytes, byte[] prefix) {
		if (bytes.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (bytes[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

}
