package io.github.onnxgpu.boot.actuate;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import io.github.onnxgpu.boot.actuate.OnnxDescriptors.ReloadDescriptor;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link OnnxEndpoint}: a
 * reload of an unknown model answers 404, as a read of it does (the actuator answers a
 * write operation's {@code null} with 204).
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = OnnxEndpoint.class)
public class OnnxEndpointWebExtension {

	private final OnnxEndpoint endpoint;

	/**
	 * Create a new extension.
	 * @param endpoint the endpoint it extends
	 */
	public OnnxEndpointWebExtension(OnnxEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Reload a model, as {@link OnnxEndpoint#reload(String)} does.
	 * @param model the model
	 * @return what the reload did, or 404 when there is no such model
	 */
	@WriteOperation
	public WebEndpointResponse<ReloadDescriptor> reload(@Selector String model) {
		ReloadDescriptor reload = this.endpoint.reload(model);
		return (reload != null) ? new WebEndpointResponse<>(reload)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
