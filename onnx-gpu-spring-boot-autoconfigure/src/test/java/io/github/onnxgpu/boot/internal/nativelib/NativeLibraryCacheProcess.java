package io.github.onnxgpu.boot.internal.nativelib;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process that fills a native library cache from a jar, started by tests that need
 * several JVMs. Arguments: the jar, the cache folder, a folder to meet the other
 * processes in, and this process's name. It announces itself with a {@code ready-<name>}
 * file and starts once a {@code go} file appears, so that all processes start together.
 */
public final class NativeLibraryCacheProcess {

	private NativeLibraryCacheProcess() {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]);
		Path directory = Path.of(args[1]);
		Path meeting = Path.of(args[2]);
		Files.createFile(meeting.resolve("ready-" + args[3]));
		while (!Files.exists(meeting.resolve("go"))) {
			Thread.onSpinWait();
		}
		NativeLibraryCacheInstaller installer = new NativeLibraryCacheInstaller(System.getProperties(),
				() -> JarNativeLibrarySource.open(jar, "linux-x64"));
		NativeLibraryCacheResult result = installer.install(true, directory, null);
		System.out.println("status=" + result.status());
		System.out.println("reason=" + result.reason());
		System.out.println("path=" + System.getProperty(NativeLibraryCacheInstaller.NATIVE_PATH));
	}

}
