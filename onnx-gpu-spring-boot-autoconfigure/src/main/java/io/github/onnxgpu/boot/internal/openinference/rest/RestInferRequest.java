package io.github.onnxgpu.boot.internal.openinference.rest;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.openinference.RequestTensor;

/**
 * An inference request read from a REST body.
 *
 * @param id the request's {@code id}, echoed in the answer
 * @param inputs the inputs
 * @param outputs the outputs asked for, empty for all
 * @param binaryDataOutput the request's {@code binary_data_output} parameter: all outputs
 * as binary data unless an output says otherwise
 */
record RestInferRequest(@Nullable String id, List<RequestTensor> inputs, List<RequestedOutput> outputs,
		boolean binaryDataOutput) {

	/**
	 * An output asked for.
	 *
	 * @param name the output
	 * @param binaryData its {@code binary_data} parameter, {@code null} when not given
	 */
	record RequestedOutput(String name, @Nullable Boolean binaryData) {

	}

}
