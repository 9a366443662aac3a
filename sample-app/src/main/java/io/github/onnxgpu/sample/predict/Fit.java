package io.github.onnxgpu.sample.predict;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an uploaded image is resized before inference ({@code ?fit=} on
 * {@code POST /predict}).
 */
public enum Fit {

	/**
	 * To the warmed shape closest to the image: no request pays for a shape the model has
	 * not seen yet, which matters on CUDA where a new shape triggers a cuDNN algorithm
	 * search.
	 */
	WARMED,

	/**
	 * Keep the image's size, rounded to the model's side multiple and scaled down to the
	 * largest inference side: truer to the image, but a shape not warmed pays its first
	 * run cost.
	 */
	NATIVE;

	/**
	 * Parse the query parameter.
	 * @param text the parameter, or {@code null} for the default
	 * @return the fit
	 * @throws PredictionRejectedException 400 for an unknown value
	 */
	static Fit parse(String text) {
		if (text == null || text.isBlank()) {
			return WARMED;
		}
		try {
			return valueOf(text.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw PredictionRejectedException.badRequest("Unknown fit '" + text + "'; use one of "
					+ Arrays.stream(values()).map(Fit::toString).collect(Collectors.joining(", ")));
		}
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}
