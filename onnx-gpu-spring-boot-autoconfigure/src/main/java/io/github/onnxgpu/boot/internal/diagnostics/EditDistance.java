package io.github.onnxgpu.boot.internal.diagnostics;

/**
 * The Levenshtein distance between two short strings: the fewest single-character
 * insertions, deletions and substitutions that turn one into the other. Written here
 * because it is a dozen lines and the library that has it (Apache Commons Text) is not
 * managed by Spring Boot.
 */
final class EditDistance {

	private EditDistance() {
	}

	static int between(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
