package io.github.onnxgpu.boot.internal.tuning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TuningKey}.
 */
class TuningKeyTests {

	static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

	static TuningKey key() {
		Map<String, String> heuristic = new LinkedHashMap<>();
		heuristic.put("cuda.cudnn-conv-algo-search", "HEURISTIC");
		Map<String, String> exhaustive = new LinkedHashMap<>();
		exhaustive.put("cuda.cudnn-conv-algo-search", "EXHAUSTIVE");
		exhaustive.put("cuda.cudnn-conv1d-pad-to-nc1d", "true");
		return new TuningKey("detector", SHA, "1.29.0", "CUDA", "NVIDIA GeForce RTX 4090",
				List.of(heuristic, exhaustive), List.of("x=1x3x64x64", "x=2x3x32x128"), Map.of("runs", "20"));
	}

	@Test
	void canonicalTextOfAFixedKeyIsFixed() {
		assertThat(key().canonicalText()).isEqualTo("""
				model=detector
				modelSha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
				onnxRuntimeVersion=1.29.0
				provider=CUDA
				device=NVIDIA GeForce RTX 4090
				candidates=2
				candidate.0=1
				candidate.0.cuda.cudnn-conv-algo-search=HEURISTIC
				candidate.1=2
				candidate.1.cuda.cudnn-conv-algo-search=EXHAUSTIVE
				candidate.1.cuda.cudnn-conv1d-pad-to-nc1d=true
				warmupSamples=2
				warmupSample.0=x=1x3x64x64
				warmupSample.1=x=2x3x32x128
				other=1
				other.runs=20
				""");
	}

	@Test
	void hashIsTheSha256OfTheCanonicalText() {
		assertThat(key().hash()).isEqualTo("93fcf5868e101fcec5fb71a1307cd69f748bb8898a034dfe056fa1425eb71d8f");
	}

	@Test
	void hashChangesWithEveryField() {
		TuningKey key = key();
		List<TuningKey> changed = List.of(
				new TuningKey("other", key.modelSha256(), key.onnxRuntimeVersion(), key.provider(), key.device(),
						key.candidates(), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), "00" + SHA.substring(2), key.onnxRuntimeVersion(), key.provider(),
						key.device(), key.candidates(), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), "1.30.0", key.provider(), key.device(), key.candidates(),
						key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), "TENSORRT", key.device(),
						key.candidates(), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(),
						"NVIDIA A100-SXM4-40GB", key.candidates(), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(), key.device(),
						List.of(key.candidates().get(1), key.candidates().get(0)), key.warmupSamples(), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(), key.device(),
						key.candidates(), List.of("x=1x3x64x64"), key.other()),
				new TuningKey(key.model(), key.modelSha256(), key.onnxRuntimeVersion(), key.provider(), key.device(),
						key.candidates(), key.warmupSamples(), Map.of("runs", "30")));
		assertThat(changed).extracting(TuningKey::hash).doesNotContain(key.hash()).doesNotHaveDuplicates();
	}

	@Test
	void canonicalTextIgnoresTheOrderOfMapEntriesButNotOfLists() {
		Map<String, String> ab = new LinkedHashMap<>();
		ab.put("a", "1");
		ab.put("b", "2");
		Map<String, String> ba = new LinkedHashMap<>();
		ba.put("b", "2");
		ba.put("a", "1");
		assertThat(key(List.of(ab, Map.of()), List.of("s1", "s2")).canonicalText())
			.isEqualTo(key(List.of(ba, Map.of()), List.of("s1", "s2")).canonicalText())
			.isNotEqualTo(key(List.of(Map.of(), ab), List.of("s1", "s2")).canonicalText())
			.isNotEqualTo(key(List.of(ab, Map.of()), List.of("s2", "s1")).canonicalText());
	}

	@Test
	void canonicalTextKeepsSeparatorsInValuesApart() {
		// without escapes, both would hold the line "candidate.0.a=b=1"
		TuningKey keyWithSeparator = key(List.of(Map.of("a=b", "1")), List.of());
		TuningKey valueWithSeparator = key(List.of(Map.of("a", "b=1")), List.of());
		assertThat(keyWithSeparator.canonicalText()).contains("candidate.0.a\\=b=1\n")
			.isNotEqualTo(valueWithSeparator.canonicalText());
		// without escapes, a new line would forge a field
		TuningKey forged = key(List.of(), List.of("x\nwarmupSamples=0"));
		assertThat(forged.canonicalText()).contains("warmupSample.0=x\\nwarmupSamples=0\n")
			.isNotEqualTo(key(List.of(), List.of("x\\nwarmupSamples=0")).canonicalText());
	}

	@Test
	void keyCopiesItsListsAndMaps() {
		Map<String, String> candidate = new HashMap<>(Map.of("a", "1"));
		List<Map<String, String>> candidates = new ArrayList<>(List.of(candidate));
		List<String> samples = new ArrayList<>(List.of("s1"));
		Map<String, String> other = new HashMap<>(Map.of("o", "1"));
		TuningKey key = new TuningKey("detector", SHA, "1.29.0", "CPU", "cpu", candidates, samples, other);
		String text = key.canonicalText();
		candidate.put("b", "2");
		candidates.add(Map.of());
		samples.add("s2");
		other.put("p", "2");
		assertThat(key.canonicalText()).isEqualTo(text);
		assertThat(key.candidates()).containsExactly(Map.of("a", "1"));
		assertThat(key.warmupSamples()).containsExactly("s1");
		assertThat(key.other()).containsExactly(Map.entry("o", "1"));
	}

	@Test
	void keyKeepsTheOrderOfCandidateSettings() {
		assertThat(key().candidates().get(1).keySet()).containsExactly("cuda.cudnn-conv-algo-search",
				"cuda.cudnn-conv1d-pad-to-nc1d");
	}

	@Test
	void keyWhenModelNameIsNoBeanNameIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TuningKey("../evil", SHA, "1.29.0", "CPU", "cpu", List.of(), List.of(), Map.of()))
			.withMessageContaining("'../evil' is not a bean name");
	}

	private static TuningKey key(List<Map<String, String>> candidates, List<String> samples) {
		return new TuningKey("detector", SHA, "1.29.0", "CPU", "cpu", candidates, samples, Map.of());
	}

}
