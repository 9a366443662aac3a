package io.github.onnxgpu.boot.internal.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The size of a Hugging Face {@code tokenizer.json}'s vocabulary, as the ids it can
 * produce: one more than the highest id of its model's vocabulary (a map of token to id
 * for WordPiece and BPE, a list for Unigram) and of its added tokens. DJL's tokenizer
 * does not tell it.
 */
final class TokenizerVocabulary {

	private TokenizerVocabulary() {
	}

	/**
	 * Read the vocabulary size. The stream is closed.
	 * @param json the tokenizer.json
	 * @return the number of ids, the highest plus one
	 * @throws IOException if it cannot be read or has no vocabulary
	 */
	static long size(InputStream json) throws IOException {
		try (Reader reader = new InputStreamReader(json, StandardCharsets.UTF_8)) {
			JsonObject root = JsonParser.parseReader(reader).getAsJsonObject();
			long highest = -1;
			JsonElement model = root.get("model");
			JsonElement vocab = (model != null && model.isJsonObject()) ? model.getAsJsonObject().get("vocab") : null;
			if (vocab == null) {
				throw new IOException("it has no model.vocab");
			}
			if (vocab.isJsonObject()) {
				for (Map.Entry<String, JsonElement> entry : vocab.getAsJsonObject().entrySet()) {
					highest = Math.max(highest, entry.getValue().getAsLong());
				}
			}
			else if (vocab.isJsonArray()) {
				highest = vocab.getAsJsonArray().size() - 1;
			}
			JsonElement added = root.get("added_tokens");
			if (added != null && added.isJsonArray()) {
				for (JsonElement token : added.getAsJsonArray()) {
					JsonElement id = token.getAsJsonObject().get("id");
					if (id != null) {
						highest = Math.max(highest, id.getAsLong());
					}
				}
			}
			return highest + 1;
		}
		catch (JsonParseException | IllegalStateException | UnsupportedOperationException ex) {
			throw new IOException("it is not a tokenizer.json (" + ex.getMessage() + ")", ex);
		}
	}

}
