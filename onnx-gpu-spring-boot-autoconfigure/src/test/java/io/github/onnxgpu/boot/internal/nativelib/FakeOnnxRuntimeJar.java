package io.github.onnxgpu.boot.internal.nativelib;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes small jars laid out like ONNX Runtime's, so that tests need not unpack the 600
 * MB of the real one. Library contents are pseudo-random, seeded by their names.
 */
final class FakeOnnxRuntimeJar {

	static final String LINUX = "ai/onnxruntime/native/linux-x64/";

	private final Map<String, byte[]> entries = new LinkedHashMap<>();

	private String version = "1.29.0";

	/**
	 * The layout of the GPU artifact: five Linux libraries and the Windows ones.
	 * @param kilobytes the size of each library
	 * @return the jar
	 */
	static FakeOnnxRuntimeJar gpu(int kilobytes) {
		FakeOnnxRuntimeJar jar = new FakeOnnxRuntimeJar();
		for (String library : new String[] { "onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared",
				"onnxruntime_providers_cuda", "onnxruntime_providers_tensorrt" }) {
			jar.library(LINUX + "lib" + library + ".so", kilobytes);
			jar.library("ai/onnxruntime/native/win-x64/" + library + ".dll", kilobytes);
		}
		return jar;
	}

	/**
	 * The layout of the CPU artifact: two libraries per platform, and macOS debug symbol
	 * folders.
	 * @return the jar
	 */
	static FakeOnnxRuntimeJar cpu() {
		FakeOnnxRuntimeJar jar = new FakeOnnxRuntimeJar();
		jar.library(LINUX + "libonnxruntime.so", 4);
		jar.library(LINUX + "libonnxruntime4j_jni.so", 1);
		jar.library("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so", 4);
		jar.library("ai/onnxruntime/native/linux-aarch64/libonnxruntime4j_jni.so", 1);
		jar.library("ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib", 4);
		jar.library("ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib.dSYM/Contents/Info.plist", 1);
		jar.library("ai/onnxruntime/native/win-x64/onnxruntime.dll", 4);
		return jar;
	}

	FakeOnnxRuntimeJar version(String version) {
		this.version = version;
		return this;
	}

	FakeOnnxRuntimeJar library(String name, int kilobytes) {
		byte[] content = new byte[kilobytes * 1024];
		new Random(name.hashCode()).nextBytes(content);
		this.entries.put(name, content);
		return this;
	}

	byte[] content(String name) {
		return this.entries.get(name);
	}

	Path writeTo(Path jar) throws IOException {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, this.version);
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
			zip.putNextEntry(new JarEntry("ai/onnxruntime/OnnxRuntime.class"));
			zip.closeEntry();
			for (Map.Entry<String, byte[]> entry : this.entries.entrySet()) {
				zip.putNextEntry(new JarEntry(entry.getKey()));
				zip.write(entry.getValue());
				zip.closeEntry();
			}
		}
		return jar;
	}

}
