package io.github.onnxgpu.boot.internal.tuning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link TuningCache}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TuningCacheTests {

	private static final TuningEntry ENTRY = new TuningEntry(1, "CUDA", Instant.parse("2026-11-26T14:00:00Z"),
			List.of(12.5, 10.25));

	@TempDir
	Path directory;

	@Test
	void storeThenFindReturnsTheEntry(CapturedOutput output) throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		cache.store(TuningKeyTests.key(), ENTRY);
		assertThat(cache.find(TuningKeyTests.key())).isEqualTo(ENTRY);
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void storeThenFindReturnsTheEntryWhenValuesNeedEscapes() throws IOException {
		String awkward = " #!\\ \\n\n\r\t\f\u0001 = , : é 語 ";
		TuningKey key = new TuningKey("detector", awkward, awkward, awkward, awkward,
				List.of(Map.of(awkward, awkward), Map.of()), List.of(awkward, "!" + awkward), Map.of(awkward, awkward));
		TuningEntry entry = new TuningEntry(0, awkward, Instant.parse("2026-11-26T14:00:00.123456789Z"),
				List.of(Double.NaN, 1.0E-4));
		TuningCache cache = new TuningCache(this.directory);
		cache.store(key, entry);
		assertThat(cache.find(key)).isEqualTo(entry);
	}

	@Test
	void storeWritesAReadableFileTheSameWayEveryTime() throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		cache.store(TuningKeyTests.key(), ENTRY);
		Path file = cache.entryFile(TuningKeyTests.key());
		assertThat(file.getFileName()).hasToString("detector-93fcf5868e101fce.properties");
		assertThat(file).content(StandardCharsets.UTF_8).isEqualTo("""
				# The tuning choice of ONNX model 'detector', written by the ONNX GPU Spring Boot starter. \
				Delete this file to tune again.
				format=1
				chosen=1
				provider=CUDA
				tunedAt=2026-11-26T14:00:00Z
				sumP50Millis=12.5,10.25
				key=model=detector\\n\\
				  modelSha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\\n\\
				  onnxRuntimeVersion=1.29.0\\n\\
				  provider=CUDA\\n\\
				  device=NVIDIA GeForce RTX 4090\\n\\
				  candidates=2\\n\\
				  candidate.0=1\\n\\
				  candidate.0.cuda.cudnn-conv-algo-search=HEURISTIC\\n\\
				  candidate.1=2\\n\\
				  candidate.1.cuda.cudnn-conv-algo-search=EXHAUSTIVE\\n\\
				  candidate.1.cuda.cudnn-conv1d-pad-to-nc1d=true\\n\\
				  warmupSamples=2\\n\\
				  warmupSample.0=x=1x3x64x64\\n\\
				  warmupSample.1=x=2x3x32x128\\n\\
				  other=1\\n\\
				  other.runs=20\\n
				""");
	}

	@Test
	void findWhenThereIsNoEntryMissesWithoutWarning(CapturedOutput output) {
		assertThat(new TuningCache(this.directory.resolve("absent")).find(TuningKeyTests.key())).isNull();
		assertThat(new TuningCache(this.directory).find(TuningKeyTests.key())).isNull();
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void findWhenAnyInputChangedMisses(CapturedOutput output) throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		TuningKey key = TuningKeyTests.key();
		cache.store(key, ENTRY);
		List<TuningKey> changed = List.of(
				new TuningKey(key.model(), "00" + key.modelSha256().substring(2), key.onnxRuntimeVersion(),
						key.provider(), key.device(), key.candidates(), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), "1.30.0", key.provider(), key.device(), key.candidates(),
						key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), "TENSORRT", key.device(),
						key.candidates(), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(),
						"NVIDIA A100-SXM4-40GB", key.candidates(), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(), key.device(),
						List.of(key.candidates().get(0), Map.of("cuda.cudnn-conv-algo-search", "EXHAUSTIVE")),
						key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(), key.device(),
						key.candidates(), List.of("x=1x3x64x64"), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(), key.device(),
						key.candidates(), key.warmupSamples(), Map.of("runs", "30")));
		for (TuningKey other : changed) {
			assertThat(cache.find(other)).as(other.toString()).isNull();
		}
		assertThat(cache.find(key)).isEqualTo(ENTRY);
		assertThat(output).doesNotContain("WARN");
	}

	@ParameterizedTest
	@EnumSource(Corruption.class)
	void findWhenEntryIsCorruptLogsOneWarningAndMisses(Corruption corruption, CapturedOutput output)
			throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		TuningKey key = TuningKeyTests.key();
		cache.store(key, ENTRY);
		Path file = cache.entryFile(key);
		Files.write(file, corruption.apply(Files.readAllBytes(file)));
		assertThat(cache.find(key)).isNull();
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("ONNX model 'detector'", file.toString(), corruption.reason)
			.doesNotContain(key.modelSha256(), "NVIDIA");
		cache.store(key, ENTRY);
		assertThat(cache.find(key)).isEqualTo(ENTRY);
		assertThat(warnings(output)).hasSize(1);
	}

	@Test
	void findWhenEntryCannotBeReadLogsOneWarningAndMisses(CapturedOutput output) throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		Path file = Files.createDirectories(cache.entryFile(TuningKeyTests.key()));
		assertThat(cache.find(TuningKeyTests.key())).isNull();
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("ONNX model 'detector'", file.toString(), "cannot be read");
	}

	@Test
	void storeCreatesMissingNestedFolders() throws IOException {
		TuningCache cache = new TuningCache(this.directory.resolve("a").resolve("b").resolve("c"));
		cache.store(TuningKeyTests.key(), ENTRY);
		assertThat(cache.entryFile(TuningKeyTests.key())).isRegularFile();
		assertThat(cache.find(TuningKeyTests.key())).isEqualTo(ENTRY);
	}

	@Test
	void storeLeavesNoTemporaryFiles() throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		cache.store(TuningKeyTests.key(), ENTRY);
		cache.store(TuningKeyTests.key(), new TuningEntry(0, "CUDA", ENTRY.tunedAt(), ENTRY.sumP50Millis()));
		assertThat(fileNames(this.directory)).containsExactly("detector-93fcf5868e101fce.properties");
	}

	@Test
	void storeReplacesTheEntry() throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		TuningEntry second = new TuningEntry(0, "CUDA", Instant.parse("2026-11-27T09:30:00Z"), List.of(9.0, 11.0));
		cache.store(TuningKeyTests.key(), ENTRY);
		cache.store(TuningKeyTests.key(), second);
		assertThat(cache.find(TuningKeyTests.key())).isEqualTo(second);
	}

	@Test
	void storeIntoAFolderThatIsAFileThrowsAndDeletesNothing() throws IOException {
		Path notAFolder = Files.writeString(this.directory.resolve("notes.txt"), "the user's notes");
		TuningCache cache = new TuningCache(notAFolder);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> cache.store(TuningKeyTests.key(), ENTRY));
		assertThat(notAFolder).isRegularFile().hasContent("the user's notes");
		assertThat(fileNames(this.directory)).containsExactly("notes.txt");
	}

	@Test
	void storeWhenTheEntryCannotBeReplacedThrowsAndRemovesOnlyItsTemporaryFile() throws IOException {
		TuningCache cache = new TuningCache(this.directory);
		Path file = cache.entryFile(TuningKeyTests.key());
		Path inside = Files.writeString(Files.createDirectories(file).resolve("notes.txt"), "the user's notes");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> cache.store(TuningKeyTests.key(), ENTRY));
		assertThat(inside).hasContent("the user's notes");
		assertThat(fileNames(this.directory)).containsExactly(file.getFileName().toString());
	}

	@Test
	void storeNeverRemovesOtherFilesInTheFolder() throws IOException {
		Files.writeString(this.directory.resolve("notes.txt"), "the user's notes");
		Files.writeString(this.directory.resolve(".detector-93fcf5868e101fce.properties.tmp"), "the user's too");
		TuningCache cache = new TuningCache(this.directory);
		TuningKey other = new TuningKey("classifier", TuningKeyTests.SHA, "1.29.0", "CPU", "cpu",
				List.of(Map.of(), Map.of("session.intra-op-threads", "1")), List.of(), Map.of());
		cache.store(other, ENTRY);
		cache.store(TuningKeyTests.key(), ENTRY);
		cache.store(TuningKeyTests.key(), ENTRY);
		assertThat(fileNames(this.directory)).containsExactlyInAnyOrder("notes.txt",
				".detector-93fcf5868e101fce.properties.tmp", cache.entryFile(other).getFileName().toString(),
				"detector-93fcf5868e101fce.properties");
		assertThat(this.directory.resolve("notes.txt")).hasContent("the user's notes");
		assertThat(this.directory.resolve(".detector-93fcf5868e101fce.properties.tmp")).hasContent("the user's too");
		assertThat(cache.find(other)).isEqualTo(ENTRY);
	}

	@Test
	void storeWhenTheEntryDoesNotMatchTheCandidatesIsRejected() {
		TuningCache cache = new TuningCache(this.directory);
		TuningEntry three = new TuningEntry(0, "CUDA", ENTRY.tunedAt(), List.of(1.0, 2.0, 3.0));
		assertThatIllegalArgumentException().isThrownBy(() -> cache.store(TuningKeyTests.key(), three))
			.withMessageContaining("'detector' holds 3 sums of p50 for 2 candidates");
		assertThat(this.directory).isEmptyDirectory();
	}

	@Test
	void storeFromTwoThreadsAtOnceLeavesAValidEntry(CapturedOutput output) throws Exception {
		TuningCache cache = new TuningCache(this.directory.resolve("cache"));
		TuningKey key = TuningKeyTests.key();
		List<TuningEntry> entries = List.of(ENTRY, new TuningEntry(0, "CUDA", ENTRY.tunedAt(), List.of(7.5, 8.0)));
		CyclicBarrier start = new CyclicBarrier(2);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			List<Future<?>> stores = new ArrayList<>();
			for (TuningEntry entry : entries) {
				stores.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < 50; i++) {
						cache.store(key, entry);
						assertThat(cache.find(key)).isIn(entries);
					}
					return null;
				}));
			}
			for (Future<?> store : stores) {
				store.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(cache.find(key)).isIn(entries);
		assertThat(fileNames(cache.directory())).containsExactly("detector-93fcf5868e101fce.properties");
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void entryFileIsTheModelAndTheStartOfTheKeysHash() {
		TuningCache cache = new TuningCache(this.directory);
		assertThat(cache.directory()).isEqualTo(this.directory);
		assertThat(cache.entryFile(TuningKeyTests.key())).isEqualTo(
				this.directory.resolve("detector-" + TuningKeyTests.key().hash().substring(0, 16) + ".properties"));
	}

	@Test
	void defaultDirectoryIsUnderTheXdgCacheFolderElseUnderTheUsersCacheFolder() {
		assertThat(TuningCache.defaultDirectory("/xdg", "/home/me"))
			.isEqualTo(Path.of("/xdg", "onnx-gpu-spring-boot", "tuning"));
		assertThat(TuningCache.defaultDirectory(" ", "/home/me"))
			.isEqualTo(Path.of("/home/me", ".cache", "onnx-gpu-spring-boot", "tuning"));
		assertThat(TuningCache.defaultDirectory(null, "/home/me"))
			.isEqualTo(Path.of("/home/me", ".cache", "onnx-gpu-spring-boot", "tuning"));
	}

	@Test
	void defaultDirectoryWithoutAUserHomeNamesTheProperty() {
		for (String noHome : new String[] { null, "", "?" }) {
			assertThatIllegalStateException().isThrownBy(() -> TuningCache.defaultDirectory(null, noHome))
				.withMessageContaining("onnx.models.<name>.tuning.cache.directory");
		}
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains("WARN")).toList();
	}

	private static List<String> fileNames(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

	/**
	 * Ways an entry can be damaged, each with part of the reason logged.
	 */
	enum Corruption {

		BINARY_GARBAGE("not UTF-8 text", (bytes) -> new byte[] { (byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3 }),

		TEXT_GARBAGE("it has no format", (bytes) -> "just some words\n".getBytes(StandardCharsets.UTF_8)),

		EMPTY("it has no format", (bytes) -> new byte[0]),

		TRUNCATED("cut short", (bytes) -> Arrays.copyOf(bytes, bytes.length - 40)),

		WRONG_VERSION("its format is '2', not 1", (bytes) -> replace(bytes, "format=1", "format=2")),

		CHOSEN_OUT_OF_RANGE("chosen is 2, not one of the 2 candidates",
				(bytes) -> replace(bytes, "chosen=1", "chosen=2")),

		CHOSEN_NEGATIVE("chosen is -1, not one of the 2 candidates",
				(bytes) -> replace(bytes, "chosen=1", "chosen=-1")),

		CHOSEN_NOT_A_NUMBER("chosen is 'one', not a whole number", (bytes) -> replace(bytes, "chosen=1", "chosen=one")),

		CHOSEN_MISSING("it has no chosen", (bytes) -> replace(bytes, "chosen=1\n", "")),

		PROVIDER_MISSING("it has no provider", (bytes) -> replace(bytes, "provider=CUDA\n", "")),

		TUNED_AT_UNPARSABLE("tunedAt is 'yesterday', not an ISO-8601 instant",
				(bytes) -> replace(bytes, "tunedAt=2026-11-26T14:00:00Z", "tunedAt=yesterday")),

		SUMS_MISSING("it has no sumP50Millis", (bytes) -> replace(bytes, "sumP50Millis=12.5,10.25\n", "")),

		SUMS_TOO_FEW("it holds 1 sums of p50 (sumP50Millis) for 2 candidates",
				(bytes) -> replace(bytes, "sumP50Millis=12.5,10.25", "sumP50Millis=12.5")),

		SUMS_UNPARSABLE("sumP50Millis holds 'fast', not a number",
				(bytes) -> replace(bytes, "sumP50Millis=12.5,10.25", "sumP50Millis=12.5,fast")),

		MALFORMED_ESCAPE("not in the format of a properties file",
				(bytes) -> replace(bytes, "format=1", "format=\\u12")),

		ANOTHER_KEY("written for another key (its modelSha256 differs)",
				(bytes) -> replace(bytes, "modelSha256=9f86", "modelSha256=0f86")),

		KEY_MISSING("it has no key", (bytes) -> {
			String text = new String(bytes, StandardCharsets.UTF_8);
			return text.substring(0, text.indexOf("key=")).getBytes(StandardCharsets.UTF_8);
		});

		private final String reason;

		private final UnaryOperator<byte[]> damage;

		Corruption(String reason, UnaryOperator<byte[]> damage) {
			this.reason = reason;
			this.damage = damage;
		}

		byte[] apply(byte[] bytes) {
			return this.damage.apply(bytes);
		}

		private static byte[] replace(byte[] bytes, String target, String replacement) {
			String text = new String(bytes, StandardCharsets.UTF_8);
			assertThat(text).contains(target);
			return text.replace(target, replacement).getBytes(StandardCharsets.UTF_8);
		}

	}

}
