package io.github.onnxgpu.boot.internal.nativelib;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.onnxgpu.boot.internal.nativelib.NativeLibraryCacheResult.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link NativeLibraryCache}.
 */
class NativeLibraryCacheTests {

	@TempDir
	Path temp;

	private FakeOnnxRuntimeJar fake;

	private JarNativeLibrarySource source;

	private Path directory;

	@BeforeEach
	void openSource() throws IOException {
		this.fake = FakeOnnxRuntimeJar.gpu(16);
		this.source = JarNativeLibrarySource.open(this.fake.writeTo(this.temp.resolve("ort.jar")), "linux-x64");
		this.directory = this.temp.resolve("cache").resolve("1.29.0-abc");
	}

	@AfterEach
	void closeSource() throws IOException {
		this.source.close();
	}

	@Test
	void cacheWhenEmptyIsCreatedWithThePlatformLibraries() throws IOException {
		NativeLibraryCacheResult result = new NativeLibraryCache(this.directory).prepare(this.source);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(result.directory()).isEqualTo(this.directory);
		assertThat(fileNames(this.directory)).containsExactly("libonnxruntime.so", "libonnxruntime4j_jni.so",
				"libonnxruntime_providers_cuda.so", "libonnxruntime_providers_shared.so",
				"libonnxruntime_providers_tensorrt.so", NativeLibraryManifest.FILE_NAME);
		for (NativeLibrary library : this.source.libraries()) {
			assertThat(this.directory.resolve(library.name()))
				.hasBinaryContent(this.fake.content(FakeOnnxRuntimeJar.LINUX + library.name()));
		}
		assertThat(fileNames(this.directory.getParent())).containsExactly("1.29.0-abc");
	}

	@Test
	void cacheWhenCompleteIsHitAndLeftUntouched() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Map<String, FileTime> written = modifiedTimes(this.directory);
		NativeLibraryCacheResult result = cache.prepare(this.source);
		assertThat(result.status()).isEqualTo(Status.HIT);
		assertThat(result.directory()).isEqualTo(this.directory);
		assertThat(modifiedTimes(this.directory)).isEqualTo(written);
	}

	@Test
	void cacheWhenLibraryTruncatedIsRebuilt() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Path cuda = this.directory.resolve("libonnxruntime_providers_cuda.so");
		try (FileChannel channel = FileChannel.open(cuda, StandardOpenOption.WRITE)) {
			channel.truncate(100);
		}
		NativeLibraryCacheResult result = cache.prepare(this.source);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(result.reason()).contains("libonnxruntime_providers_cuda.so has 100 bytes");
		assertThat(cuda).hasBinaryContent(this.fake.content(FakeOnnxRuntimeJar.LINUX + cuda.getFileName()));
	}

	@Test
	void cacheWhenLibraryRewrittenInPlaceIsRebuilt() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Path library = this.directory.resolve("libonnxruntime.so");
		byte[] same = Files.readAllBytes(library);
		same[0]++;
		Files.write(library, same);
		// a rewrite comes later than the cache was built, even on a coarse clock
		Files.setLastModifiedTime(library, FileTime.fromMillis(Files.getLastModifiedTime(library).toMillis() + 5000));
		NativeLibraryCacheResult result = cache.prepare(this.source);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(library).hasBinaryContent(this.fake.content(FakeOnnxRuntimeJar.LINUX + "libonnxruntime.so"));
	}

	@Test
	void cacheWhenLibraryHeaderDamagedWithSizeAndTimeKeptIsRebuilt() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Path library = this.directory.resolve("libonnxruntime.so");
		FileTime modified = Files.getLastModifiedTime(library);
		// what makes ONNX Runtime fail with "invalid ELF header" on every start
		try (FileChannel channel = FileChannel.open(library, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(new byte[] { 0, 0, 0, 0 }), 0);
		}
		Files.setLastModifiedTime(library, modified);
		NativeLibraryCacheResult result = cache.prepare(this.source);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(result.reason()).contains("libonnxruntime.so is damaged");
		assertThat(library).hasBinaryContent(this.fake.content(FakeOnnxRuntimeJar.LINUX + "libonnxruntime.so"));
		assertThat(cache.prepare(this.source).status()).isEqualTo(Status.HIT);
	}

	@Test
	void cacheWhenCopiedWithNewModificationTimesIsHit() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		// as when a cache is baked into an image: the content decides, not the times
		for (NativeLibrary library : this.source.libraries()) {
			Files.setLastModifiedTime(this.directory.resolve(library.name()), FileTime.fromMillis(0));
		}
		assertThat(cache.prepare(this.source).status()).isEqualTo(Status.HIT);
	}

	@Test
	void cacheWhenDamagedAndNotWritableFailsSayingItIsDamaged() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Path library = this.directory.resolve("libonnxruntime.so");
		try (FileChannel channel = FileChannel.open(library, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(new byte[] { 0, 0, 0, 0 }), 0);
		}
		NativeLibrarySource failing = new DelegatingSource(this.source) {

			@Override
			public InputStream open(NativeLibrary library) throws IOException {
				throw new IOException("Read-only file system");
			}

		};
		assertThatIOException().isThrownBy(() -> cache.prepare(failing))
			.withMessageContaining("libonnxruntime.so is damaged")
			.withMessageContaining("Read-only file system");
	}

	@Test
	void cacheWhenFolderHoldsUserFileLeavesItAndFails() throws IOException {
		Files.createDirectories(this.directory);
		Path notes = Files.writeString(this.directory.resolve("notes.txt"), "mine");
		assertThatExceptionOfType(ForeignContentException.class)
			.isThrownBy(() -> new NativeLibraryCache(this.directory).prepare(this.source))
			.withMessageContaining(this.directory.toString())
			.withMessageContaining("holds 1 entry the cache did not create")
			.withMessageContaining("onnx.native.cache.directory")
			// the reason names the problem, never the folder's entries
			.withMessageNotContaining("notes.txt");
		assertThat(notes).hasContent("mine");
		assertThat(fileNames(this.directory)).containsExactly("notes.txt");
		assertThat(fileNames(this.directory.getParent())).containsExactly("1.29.0-abc");
	}

	@Test
	void cacheWhenPathIsRegularFileLeavesItAndFails() throws IOException {
		Files.createDirectories(this.directory.getParent());
		Files.writeString(this.directory, "mine");
		assertThatExceptionOfType(ForeignContentException.class)
			.isThrownBy(() -> new NativeLibraryCache(this.directory).prepare(this.source))
			.withMessageContaining(this.directory + " is a file");
		assertThat(this.directory).isRegularFile().hasContent("mine");
		assertThat(fileNames(this.directory.getParent())).containsExactly("1.29.0-abc");
	}

	@Test
	void cacheWhenFolderIsLaidOutLikeUserHomeLeavesEverythingAndFails() throws IOException {
		Path home = this.temp.resolve("home");
		Files.createDirectories(home.resolve("Documents"));
		Files.writeString(home.resolve("Documents/report.txt"), "report");
		Files.createDirectories(home.resolve(".cache/pip"));
		Files.writeString(home.resolve(".cache/pip/selfcheck.json"), "{}");
		Files.writeString(home.resolve(".bashrc"), "export PATH");
		// the user's own file under a library's name does not make the folder the cache's
		Files.writeString(home.resolve("libonnxruntime.so"), "mine");
		Map<String, String> before = contents(home);
		assertThatExceptionOfType(ForeignContentException.class)
			.isThrownBy(() -> new NativeLibraryCache(home).prepare(this.source))
			.withMessageContaining(home.toString())
			.withMessageContaining("holds 4 entries the cache did not create")
			.withMessageNotContaining(".bashrc")
			.withMessageNotContaining("Documents");
		assertThat(contents(home)).isEqualTo(before);
		assertThat(fileNames(this.temp)).containsExactly("home", "ort.jar");
	}

	@Test
	void cacheWhenOwnFolderAlsoHoldsUserFileLeavesItAndFails() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Files.writeString(this.directory.resolve("notes.txt"), "mine");
		Files.delete(this.directory.resolve("libonnxruntime.so"));
		assertThatExceptionOfType(ForeignContentException.class).isThrownBy(() -> cache.prepare(this.source))
			.withMessageContaining("holds 1 entry the cache did not create")
			.withMessageNotContaining("notes.txt");
		assertThat(this.directory.resolve("notes.txt")).hasContent("mine");
	}

	@Test
	void cacheWhenFolderIsEmptyIsCreatedThere() throws IOException {
		Files.createDirectories(this.directory);
		NativeLibraryCacheResult result = new NativeLibraryCache(this.directory).prepare(this.source);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(this.directory.resolve("libonnxruntime.so")).exists();
	}

	@Test
	void cacheWhenManifestEditedIsRebuilt() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Path manifest = this.directory.resolve(NativeLibraryManifest.FILE_NAME);
		String original = Files.readString(manifest);
		// claim the truncated size, as if a library had been cut and the manifest "fixed"
		Files.writeString(manifest, original.replace("\t16384\t", "\t100\t"));
		NativeLibraryCacheResult result = cache.prepare(this.source);
		assertThat(result.status()).isEqualTo(Status.CREATED);
		assertThat(result.reason()).contains("manifest is incomplete or was changed");
		assertThat(cache.prepare(this.source).status()).isEqualTo(Status.HIT);
	}

	@Test
	void cacheWhenManifestMissingLeavesFolderAndFails() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		// without its manifest nothing proves the cache wrote these files: a user may
		// have
		// put libraries of their own there
		Files.delete(this.directory.resolve(NativeLibraryManifest.FILE_NAME));
		Map<String, FileTime> before = modifiedTimes(this.directory);
		assertThatExceptionOfType(ForeignContentException.class).isThrownBy(() -> cache.prepare(this.source))
			.withMessageContaining("entries the cache did not create")
			.withMessageNotContaining("libonnxruntime.so");
		assertThat(modifiedTimes(this.directory)).isEqualTo(before);
	}

	@Test
	void cacheWhenMadeFromAnotherJarIsRebuilt() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		cache.prepare(this.source);
		Path newer = this.fake.library(FakeOnnxRuntimeJar.LINUX + "libonnxruntime.so", 20)
			.writeTo(this.temp.resolve("newer.jar"));
		try (JarNativeLibrarySource newerSource = JarNativeLibrarySource.open(newer, "linux-x64")) {
			NativeLibraryCacheResult result = cache.prepare(newerSource);
			assertThat(result.status()).isEqualTo(Status.CREATED);
			assertThat(result.reason()).contains("another ONNX Runtime jar");
			assertThat(this.directory.resolve("libonnxruntime.so")).hasSize(20 * 1024);
		}
		assertThat(fileNames(this.directory.getParent())).containsExactly("1.29.0-abc");
	}

	@Test
	void cacheWhenAnotherProcessPublishesFirstUsesTheirs() throws IOException {
		NativeLibraryCache cache = new NativeLibraryCache(this.directory);
		// the other process completes its cache while this one is still unpacking
		NativeLibrarySource racing = new DelegatingSource(this.source) {

			private boolean raced;

			@Override
			public InputStream open(NativeLibrary library) throws IOException {
				if (!this.raced) {
					this.raced = true;
					assertThat(new NativeLibraryCache(NativeLibraryCacheTests.this.directory)
						.prepare(NativeLibraryCacheTests.this.source)
						.status()).isEqualTo(Status.CREATED);
				}
				return super.open(library);
			}

		};
		NativeLibraryCacheResult result = cache.prepare(racing);
		Map<String, FileTime> theirs = modifiedTimes(this.directory);
		assertThat(result.status()).isEqualTo(Status.HIT);
		assertThat(result.reason()).contains("another process");
		assertThat(cache.prepare(this.source).status()).isEqualTo(Status.HIT);
		assertThat(modifiedTimes(this.directory)).isEqualTo(theirs);
		assertThat(fileNames(this.directory.getParent())).containsExactly("1.29.0-abc");
	}

	@Test
	void cacheWhenUnpackingFailsLeavesNothingBehind() {
		NativeLibrarySource failing = new DelegatingSource(this.source) {

			@Override
			public InputStream open(NativeLibrary library) throws IOException {
				if (library.name().contains("cuda")) {
					throw new IOException("No space left on device");
				}
				return super.open(library);
			}

		};
		assertThatIOException().isThrownBy(() -> new NativeLibraryCache(this.directory).prepare(failing))
			.withMessageContaining("No space left on device");
		assertThat(fileNames(this.directory.getParent())).isEmpty();
	}

	@Test
	void cacheWhenJarEntryCorruptFails() {
		NativeLibrarySource corrupt = new DelegatingSource(this.source) {

			@Override
			public InputStream open(NativeLibrary library) throws IOException {
				try (InputStream in = super.open(library)) {
					byte[] content = in.readAllBytes();
					content[content.length - 1]++;
					return new ByteArrayInputStream(content);
				}
			}

		};
		assertThatIOException().isThrownBy(() -> new NativeLibraryCache(this.directory).prepare(corrupt))
			.withMessageContaining("is corrupt");
		assertThat(this.directory).doesNotExist();
	}

	@Test
	void defaultDirectoryNamesVersionAndChecksum() {
		Path home = Path.of("/home/duke");
		assertThat(NativeLibraryCache.defaultDirectory(home, this.source))
			.isEqualTo(Path.of("/home/duke/.cache/onnx-gpu-spring-boot/1.29.0-" + this.source.checksum()));
	}

	static List<String> fileNames(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// every file under a folder with its content, and every folder
	static Map<String, String> contents(Path directory) throws IOException {
		Map<String, String> contents = new TreeMap<>();
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.toList()) {
				contents.put(directory.relativize(file).toString(),
						Files.isDirectory(file) ? "<folder>" : Files.readString(file));
			}
		}
		return contents;
	}

	static Map<String, FileTime> modifiedTimes(Path directory) throws IOException {
		Map<String, FileTime> times = new TreeMap<>();
		for (String name : fileNames(directory)) {
			times.put(name, Files.getLastModifiedTime(directory.resolve(name)));
		}
		return times;
	}

	/**
	 * A source that passes everything to another, for tests to override one method.
	 */
	static class DelegatingSource implements NativeLibrarySource {

		private final NativeLibrarySource delegate;

		DelegatingSource(NativeLibrarySource delegate) {
			this.delegate = delegate;
		}

		@Override
		public String description() {
			return this.delegate.description();
		}

		@Override
		public String version() {
			return this.delegate.version();
		}

		@Override
		public String platform() {
			return this.delegate.platform();
		}

		@Override
		public List<NativeLibrary> libraries() {
			return this.delegate.libraries();
		}

		@Override
		public InputStream open(NativeLibrary library) throws IOException {
			return this.delegate.open(library);
		}

		@Override
		public void close() {
		}

	}

}
