package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import ai.onnxruntime.OrtEnvironment;

/**
 * An execution provider library shipped in the ONNX Runtime jar on the class path, read
 * to check that the option keys the starter sends are ones the provider knows.
 */
public enum ProviderLibrary {

	/**
	 * {@code libonnxruntime_providers_cuda.so}.
	 */
	CUDA("libonnxruntime_providers_cuda.so"),

	/**
	 * {@code libonnxruntime_providers_tensorrt.so}.
	 */
	TENSORRT("libonnxruntime_providers_tensorrt.so");

	private final String fileName;

	ProviderLibrary(String fileName) {
		this.fileName = fileName;
	}

	/**
	 * Whether the jar holds the library: the GPU artifact does, the CPU one does not.
	 * @return whether it is shipped
	 * @throws IOException when the jar cannot be read
	 */
	public boolean isShipped() throws IOException {
		try (ZipFile jar = new ZipFile(ortJar().toFile())) {
			return entry(jar) != null;
		}
	}

	/**
	 * The lower-case identifiers in the library, as the {@code strings} tool would list
	 * them, read as a stream because the library is hundreds of megabytes.
	 * @return the identifiers
	 * @throws IOException when the jar cannot be read
	 */
	public Set<String> identifiers() throws IOException {
		try (ZipFile jar = new ZipFile(ortJar().toFile()); InputStream library = jar.getInputStream(entry(jar))) {
			return identifiers(library);
		}
	}

	/**
	 * The options of a provider options string such as {@code key=value;key=value;}.
	 * @param optionsString what {@code getOptionsString()} returns
	 * @return the options by key
	 */
	public static Map<String, String> parseOptions(String optionsString) {
		Map<String, String> parsed = new LinkedHashMap<>();
		for (String pair : optionsString.split(";")) {
			if (!pair.isEmpty()) {
				String[] keyValue = pair.split("=", 2);
				parsed.put(keyValue[0], keyValue[1]);
			}
		}
		return parsed;
	}

	private ZipEntry entry(ZipFile jar) {
		return jar.getEntry("ai/onnxruntime/native/linux-x64/" + this.fileName);
	}

	private static Path ortJar() throws IOException {
		try {
			return Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IOException("Cannot locate the ONNX Runtime jar", ex);
		}
	}

	private static Set<String> identifiers(InputStream binary) throws IOException {
		Set<String> words = new HashSet<>();
		StringBuilder word = new StringBuilder();
		byte[] buffer = new byte[1 << 20];
		int read;
		while ((read = binary.read(buffer)) > 0) {
			for (int i = 0; i < read; i++) {
				char c = (char) (buffer[i] & 0xff);
				if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
					word.append(c);
				}
				else {
					if (word.length() >= 6 && word.length() <= 64) {
						words.add(word.toString());
					}
					word.setLength(0);
				}
			}
		}
		return words;
	}

}
