package io.github.onnxgpu.boot.internal.warmup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.onnxgpu.boot.internal.warmup.npy.NpyArray;

/**
 * A warmup shape checked against the model, with the full dimensions of every model
 * input: the configured ones, and the others inferred from shared dimension names or
 * fixed by the model.
 *
 * @param index the position in {@code warmup.shapes}, or 0 for the implied shape of a
 * static model
 * @param dimensions dimensions by input name, in the model's input order
 * @param files the data of inputs given as {@code .npy} files, by input name
 */
public record ResolvedShape(int index, Map<String, long[]> dimensions, Map<String, NpyArray> files) {

	public ResolvedShape {
		dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
		files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
	}

	public ResolvedShape(int index, Map<String, long[]> dimensions) {
		this(index, dimensions, Map.of());
	}

	@Override
	public String toString() {
		return Dimensions.format(this.dimensions);
	}

}
