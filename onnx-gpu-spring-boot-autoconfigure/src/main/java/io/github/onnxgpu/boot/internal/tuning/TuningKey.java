package io.github.onnxgpu.boot.internal.tuning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a tuning choice depends on; any difference means tuning again. Holds the model's
 * SHA-256, never its location, so that a key can be written to a file without a secret.
 * <p>
 * The {@link #canonicalText() canonical text} lists the candidates and the warmup samples
 * in their order (the first candidate wins a tie, so the order matters) and the entries
 * of each map in the order of their keys (the order in which settings were written
 * changes nothing).
 *
 * @param model the model's name, a bean name ({@code [A-Za-z][A-Za-z0-9_-]*})
 * @param modelSha256 the SHA-256 of the model file
 * @param onnxRuntimeVersion the ONNX Runtime version
 * @param provider the execution provider the candidates run on
 * @param device the device: the one ONNX Runtime names, or the CPU model
 * @param candidates each candidate's overrides, in the order they are tried
 * @param warmupSamples the warmup samples the candidates are timed at, each as text
 * @param other anything else the choice depends on
 */
public record TuningKey(String model, String modelSha256, String onnxRuntimeVersion, String provider, String device,
		List<Map<String, String>> candidates, List<String> warmupSamples, Map<String, String> other) {

	private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

	public TuningKey {
		if (!MODEL_NAME.matcher(model).matches()) {
			throw new IllegalArgumentException(
					"The model name '" + model + "' is not a bean name ([A-Za-z][A-Za-z0-9_-]*)");
		}
		List<Map<String, String>> copies = new ArrayList<>(candidates.size());
		for (Map<String, String> candidate : candidates) {
			copies.add(copy(candidate));
		}
		candidates = Collections.unmodifiableList(copies);
		warmupSamples = List.copyOf(warmupSamples);
		other = copy(other);
	}

	private static Map<String, String> copy(Map<String, String> map) {
		return Collections.unmodifiableMap(new LinkedHashMap<>(map));
	}

	/**
	 * A canonical text of every field, one per line, stable across JVMs and versions of
	 * this class: {@code name=value} lines; a list as a line with its size, then a line
	 * per element ({@code candidate.0}, {@code warmupSample.0}, ...); a map as a line
	 * with its size, then a line per entry ({@code candidate.0.<key>=<value>}, in the
	 * order of the keys). Backslash escapes stand for backslashes and control characters,
	 * and in map keys for {@code =}, so that no value can forge a line.
	 * @return the canonical text, each line ended by {@code \n}
	 */
	public String canonicalText() {
		StringBuilder text = new StringBuilder();
		line(text, "model", this.model);
		line(text, "modelSha256", this.modelSha256);
		line(text, "onnxRuntimeVersion", this.onnxRuntimeVersion);
		line(text, "provider", this.provider);
		line(text, "device", this.device);
		line(text, "candidates", Integer.toString(this.candidates.size()));
		for (int i = 0; i < this.candidates.size(); i++) {
			map(text, "candidate." + i, this.candidates.get(i));
		}
		line(text, "warmupSamples", Integer.toString(this.warmupSamples.size()));
		for (int i = 0; i < this.warmupSamples.size(); i++) {
			line(text, "warmupSample." + i, this.warmupSamples.get(i));
		}
		map(text, "other", this.other);
		return text.toString();
	}

	/**
	 * The SHA-256 of the {@link #canonicalText() canonical text} in UTF-8.
	 * @return 64 lower-case hex digits
	 */
	public String hash() {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(canonicalText().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void line(StringBuilder text, String name, String value) {
		text.append(name).append('=');
		escape(text, value, false);
		text.append('\n');
	}

	private static void map(StringBuilder text, String name, Map<String, String> map) {
		line(text, name, Integer.toString(map.size()));
		new TreeMap<>(map).forEach((key, value) -> {
			text.append(name).append('.');
			escape(text, key, true);
			text.append('=');
			escape(text, value, false);
			text.append('\n');
		});
	}

	private static void escape(StringBuilder text, String value, boolean key) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' || (key && c == '=')) {
				text.append('\\').append(c);
			}
			else if (c == '\n') {
				text.append("\\n");
			}
			else if (c == '\r') {
				text.append("\\r");
			}
			else if (c < 0x20 || c == 0x7f) {
				text.append("\\u").append(HexFormat.of().toHexDigits(c));
			}
			else {
				text.append(c);
			}
		}
	}

}
