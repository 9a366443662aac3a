package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes small Hugging Face {@code tokenizer.json} files for tests: a lower-casing BERT
 * WordPiece tokenizer that frames a text as {@code [CLS] ... [SEP]}.
 */
public final class TestTokenizers {

	/**
	 * The words of {@link #wordPiece(Path, String)}'s vocabulary, after the four
	 * specials.
	 */
	public static final List<String> WORDS = List.of("the", "cat", "sat", "on", "mat", "a", "dog", "ran", "hello",
			"world", "##s", "fast", "slow", "big", "small", "red");

	/** The vocabulary's size: the four special tokens and {@link #WORDS}. */
	public static final int VOCABULARY = 4 + WORDS.size();

	private TestTokenizers() {
	}

	/**
	 * Write the WordPiece tokenizer: {@code [PAD]} 0, {@code [UNK]} 1, {@code [CLS]} 2,
	 * {@code [SEP]} 3, then {@link #WORDS} from 4.
	 * @param directory where to write it
	 * @param fileName the file's name
	 * @return the file's location, {@code file:...}
	 */
	public static String wordPiece(Path directory, String fileName) {
		return write(directory, fileName, WORDS);
	}

	/**
	 * Write a WordPiece tokenizer with more words than the test encoders' tables.
	 * @param directory where to write it
	 * @param fileName the file's name
	 * @param extraWords how many words to add to {@link #WORDS}
	 * @return the file's location
	 */
	public static String largerWordPiece(Path directory, String fileName, int extraWords) {
		List<String> words = new java.util.ArrayList<>(WORDS);
		for (int i = 0; i < extraWords; i++) {
			words.add("word" + i);
		}
		return write(directory, fileName, words);
	}

	private static String write(Path directory, String fileName, List<String> words) {
		StringBuilder vocabulary = new StringBuilder("\"[PAD]\":0,\"[UNK]\":1,\"[CLS]\":2,\"[SEP]\":3");
		for (int i = 0; i < words.size(); i++) {
			vocabulary.append(",\"").append(words.get(i)).append("\":").append(4 + i);
		}
		String added = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]")
			.stream()
			.map((token) -> "{\"id\":" + List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]").indexOf(token) + ",\"content\":\""
					+ token + "\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
					+ "\"normalized\":false,\"special\":true}")
			.collect(Collectors.joining(","));
		String json = """
				{"version":"1.0","truncation":null,"padding":null,"added_tokens":[%s],
				"normalizer":{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true},
				"pre_tokenizer":{"type":"BertPreTokenizer"},
				"post_processor":{"type":"TemplateProcessing",
				"single":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"[SEP]","type_id":0}}],
				"pair":[{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"[SEP]","type_id":0}},{"Sequence":{"id":"B","type_id":1}},{"SpecialToken":{"id":"[SEP]","type_id":1}}],
				"special_tokens":{"[CLS]":{"id":"[CLS]","ids":[2],"tokens":["[CLS]"]},"[SEP]":{"id":"[SEP]","ids":[3],"tokens":["[SEP]"]}}},
				"decoder":{"type":"WordPiece","prefix":"##","cleanup":true},
				"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,"vocab":{%s}}}
				"""
			.formatted(added, vocabulary);
		try {
			Path file = directory.resolve(fileName);
			Files.writeString(file, json, StandardCharsets.UTF_8);
			return "file:" + file.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
