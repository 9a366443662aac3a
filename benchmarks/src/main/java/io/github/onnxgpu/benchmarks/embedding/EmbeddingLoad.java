package io.github.onnxgpu.benchmarks.embedding;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The protocol every trial of the embedding comparison runs, in its own JVM, on the
 * embedder it is given: the first call after ready, the vectors of the test sentences,
 * steady single calls, then closed-loop load at 1 and at 16 callers, each call one
 * sentence of mixed length. Results go to a file of {@code key value} lines and
 * {@code vector index v0,v1,...} lines.
 */
public final class EmbeddingLoad {

	private static final String[] WORDS = { "the", "service", "returns", "a", "vector", "for", "each", "document",
			"search", "engine", "query", "spring", "boot", "model", "runs", "on", "cpu", "fast", "slow", "index",
			"similar", "texts", "close", "together", "in", "space", "users", "find", "answers", "questions", "about",
			"java", "memory", "batch", "latency", "throughput", "cluster", "node", "storage", "cloud", "retrieval",
			"augmented", "generation", "embedding", "sentence", "transformer", "token", "language", "people", "city",
			"weather", "today", "tomorrow", "report", "market", "price", "coffee", "morning", "train", "station" };

	/** Sentences of the load, 4 to 60 words, the same in every JVM. */
	public static final List<String> SENTENCES = sentences(64);

	private EmbeddingLoad() {
	}

	private static List<String> sentences(int count) {
		Random random = new Random(42);
		List<String> sentences = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			// lengths spread over the buckets: mostly short, some long
			int words = 4 + (int) (56 * Math.pow(random.nextDouble(), 2));
			StringBuilder sentence = new StringBuilder();
			for (int w = 0; w < words; w++) {
				sentence.append((w > 0) ? " " : "").append(WORDS[random.nextInt(WORDS.length)]);
			}
			sentences.add(sentence.append('.').toString());
		}
		return sentences;
	}

	/**
	 * Run the protocol and write the results.
	 * @param embedder the library's embedder, ready
	 * @param readyMillis how long it took to be ready, from the JVM's start
	 * @param seconds the seconds of each load phase
	 * @param out the results file
	 * @throws Exception when the library fails
	 */
	public static void run(Embedder embedder, double readyMillis, int seconds, Path out) throws Exception {
		List<String> lines = new ArrayList<>();
		lines.add("readyMillis " + readyMillis);
		long start = System.nanoTime();
		embedder.embed(SENTENCES.get(0));
		lines.add("firstMillis " + (System.nanoTime() - start) / 1e6);
		for (int i = 0; i < SENTENCES.size(); i++) {
			lines.add("vector " + i + " " + join(embedder.embed(SENTENCES.get(i))));
		}
		double[] single = new double[30];
		for (int i = 0; i < single.length; i++) {
			long begin = System.nanoTime();
			embedder.embed(SENTENCES.get(0));
			single[i] = (System.nanoTime() - begin) / 1e6;
		}
		Arrays.sort(single);
		lines.add("steadyMillis " + single[single.length / 2]);
		for (int callers : new int[] { 1, 16 }) {
			double[] result = load(embedder, callers, seconds);
			lines.add("callers" + callers + "PerSecond " + result[0]);
			lines.add("callers" + callers + "P50Millis " + result[1]);
			lines.add("callers" + callers + "P99Millis " + result[2]);
		}
		Files.write(out, lines, StandardCharsets.UTF_8);
	}

	// closed loop: each caller sends its next sentence when the last one returned
	private static double[] load(Embedder embedder, int callers, int seconds) throws Exception {
		// a short warm-up of the concurrency itself, not counted
		phase(embedder, callers, 1_000_000_000L);
		List<Double> latencies = phase(embedder, callers, seconds * 1_000_000_000L);
		double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return new double[] { sorted.length / (double) seconds, sorted[sorted.length / 2],
				sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] };
	}

	private static List<Double> phase(Embedder embedder, int callers, long nanos) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		long end = System.nanoTime() + nanos;
		AtomicInteger next = new AtomicInteger();
		List<Future<List<Double>>> futures = new ArrayList<>();
		for (int c = 0; c < callers; c++) {
			futures.add(pool.submit(() -> {
				List<Double> mine = new ArrayList<>();
				while (System.nanoTime() < end) {
					String text = SENTENCES.get(Math.floorMod(next.getAndIncrement(), SENTENCES.size()));
					long begin = System.nanoTime();
					embedder.embed(text);
					mine.add((System.nanoTime() - begin) / 1e6);
				}
				return mine;
			}));
		}
		List<Double> all = new ArrayList<>();
		for (Future<List<Double>> future : futures) {
			all.addAll(future.get(nanos / 1_000_000_000L + 120, TimeUnit.SECONDS));
		}
		pool.shutdown();
		return all;
	}

	private static String join(float[] vector) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < vector.length; i++) {
			text.append((i > 0) ? "," : "").append(String.format(Locale.ROOT, "%.8e", vector[i]));
		}
		return text.toString();
	}

	/**
	 * Write a line to standard output, flushed, for the driver's log.
	 * @param line the line
	 */
	static void say(String line) {
		PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
		out.println(line);
	}

	/**
	 * Milliseconds since the JVM started.
	 * @return the time
	 */
	static double sinceJvmStart() {
		return (System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
	}

	/** One embedding call, as each library offers it. */
	public interface Embedder {

		/**
		 * Embed one text.
		 * @param text the text
		 * @return its vector
		 * @throws Exception when the library fails
		 */
		float[] embed(String text) throws Exception;

	}

}
