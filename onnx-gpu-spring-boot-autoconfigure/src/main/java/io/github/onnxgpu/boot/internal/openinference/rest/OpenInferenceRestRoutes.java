package io.github.onnxgpu.boot.internal.openinference.rest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

import io.github.onnxgpu.boot.internal.openinference.InferOutcome;
import io.github.onnxgpu.boot.internal.openinference.ModelMetadata;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceException;
import io.github.onnxgpu.boot.internal.openinference.OpenInferenceService;
import io.github.onnxgpu.boot.internal.openinference.ServerMetadata;
import io.github.onnxgpu.boot.internal.openinference.TensorMetadata;
import io.github.onnxgpu.boot.internal.openinference.rest.RestInferCodec.Encoded;

/**
 * The Open Inference Protocol's REST endpoints as Spring MVC functional routes:
 * {@code /v2/health/live}, {@code /v2/health/ready}, {@code /v2}, and per model (with or
 * without {@code /versions/{version}}) its metadata, {@code /ready} and {@code /infer}.
 * Errors are {@code {"error": "..."}} with 400 for a bad request, 404 for an unknown
 * model or version, 413 for a body over the limit (refused before it is read), and 503
 * with {@code Retry-After} for a run the model cannot take now.
 */
public final class OpenInferenceRestRoutes {

	/**
	 * The header that gives the length of the JSON object when binary data follows it.
	 */
	public static final String HEADER_CONTENT_LENGTH = "Inference-Header-Content-Length";

	private static final Log logger = LogFactory.getLog(OpenInferenceRestRoutes.class);

	private final OpenInferenceService service;

	private final JsonMapper mapper;

	private final RestInferCodec codec;

	private final long maxRequestSize;

	/**
	 * Create the routes.
	 * @param service the protocol over the models
	 * @param mapper the JSON mapper
	 * @param maxRequestSize the largest inference body taken
	 */
	public OpenInferenceRestRoutes(OpenInferenceService service, JsonMapper mapper, DataSize maxRequestSize) {
		this.service = service;
		this.mapper = mapper;
		this.codec = new RestInferCodec(mapper);
		this.maxRequestSize = maxRequestSize.toBytes();
	}

	/**
	 * The routes.
	 * @return the router function
	 */
	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/v2/health/live", guarded((request) -> json(HttpStatus.OK, Map.of("live", this.service.live()))))
			.GET("/v2/health/ready", guarded(this::serverReady))
			.GET("/v2", guarded(this::serverMetadata))
			.GET("/v2/", guarded(this::serverMetadata))
			.GET("/v2/models/{model}", guarded(this::modelMetadata))
			.GET("/v2/models/{model}/versions/{version}", guarded(this::modelMetadata))
			.GET("/v2/models/{model}/ready", guarded(this::modelReady))
			.GET("/v2/models/{model}/versions/{version}/ready", guarded(this::modelReady))
			.POST("/v2/models/{model}/infer", guarded(this::infer))
			.POST("/v2/models/{model}/versions/{version}/infer", guarded(this::infer))
			.build();
	}

	private ServerResponse serverReady(ServerRequest request) {
		boolean ready = this.service.ready();
		return json(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, Map.of("ready", ready));
	}

	private ServerResponse serverMetadata(ServerRequest request) {
		ServerMetadata metadata = this.service.serverMetadata(List.of(OpenInferenceService.BINARY_TENSOR_DATA));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", metadata.name());
		body.put("version", metadata.version());
		body.put("extensions", metadata.extensions());
		return json(HttpStatus.OK, body);
	}

	private ServerResponse modelMetadata(ServerRequest request) {
		ModelMetadata metadata = this.service.modelMetadata(request.pathVariable("model"), version(request));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", metadata.name());
		body.put("versions", metadata.versions());
		body.put("platform", metadata.platform());
		body.put("inputs", metadata.inputs().stream().map(OpenInferenceRestRoutes::tensor).toList());
		body.put("outputs", metadata.outputs().stream().map(OpenInferenceRestRoutes::tensor).toList());
		return json(HttpStatus.OK, body);
	}

	private static Map<String, Object> tensor(TensorMetadata tensor) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", tensor.name());
		body.put("datatype", tensor.datatype());
		body.put("shape", tensor.shape());
		return body;
	}

	private ServerResponse modelReady(ServerRequest request) {
		String model = request.pathVariable("model");
		boolean ready = this.service.modelReady(model, version(request));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", model);
		body.put("ready", ready);
		return json(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
	}

	private ServerResponse infer(ServerRequest request) throws IOException {
		String model = request.pathVariable("model");
		String version = version(request);
		this.service.checkModel(model, version);
		HttpServletRequest servlet = request.servletRequest();
		byte[] body = readBody(model, servlet);
		RestInferRequest parsed = this.codec.read(model, body, headerLength(request));
		InferOutcome outcome = this.service.infer(model, version, parsed.inputs(),
				parsed.outputs().stream().map(RestInferRequest.RequestedOutput::name).toList());
		Encoded encoded = this.codec.write(parsed.id(), outcome, RestInferCodec.binaryFlags(parsed, outcome.outputs()));
		ServerResponse.BodyBuilder builder = ServerResponse.ok();
		if (encoded.headerLength() >= 0) {
			builder.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.header(HEADER_CONTENT_LENGTH, Integer.toString(encoded.headerLength()));
		}
		else {
			builder.contentType(MediaType.APPLICATION_JSON);
		}
		return builder.contentLength(encoded.body().length).body(encoded.body());
	}

	private byte[] readBody(String model, HttpServletRequest servlet) throws IOException {
		long declared = servlet.getContentLengthLong();
		if (declared > this.maxRequestSize) {
			throw tooLarge(model, declared + " bytes");
		}
		try (InputStream in = servlet.getInputStream()) {
			if (declared >= 0) {
				byte[] body = in.readNBytes((int) declared);
				if (body.length < declared) {
					throw OpenInferenceException.badRequest("The request to model '" + model + "' ended after "
							+ body.length + " of its " + declared + " bytes");
				}
				return body;
			}
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxRequestSize + 1));
			if (body.length > this.maxRequestSize) {
				throw tooLarge(model, "more than " + this.maxRequestSize + " bytes");
			}
			return body;
		}
	}

	private OpenInferenceException tooLarge(String model, String size) {
		return OpenInferenceException.tooLarge("The request to model '" + model + "' has " + size
				+ ", more than onnx.open-inference.rest.max-request-size (" + DataSize.ofBytes(this.maxRequestSize)
				+ "): send less, or raise the limit");
	}

	private static int headerLength(ServerRequest request) {
		String value = request.headers().firstHeader(HEADER_CONTENT_LENGTH);
		if (value == null) {
			return -1;
		}
		try {
			int length = Integer.parseInt(value.trim());
			if (length < 0) {
				throw new NumberFormatException();
			}
			return length;
		}
		catch (NumberFormatException ex) {
			throw OpenInferenceException
				.badRequest(HEADER_CONTENT_LENGTH + " must be a whole number of bytes, not '" + value + "'");
		}
	}

	private static @Nullable String version(ServerRequest request) {
		return request.pathVariables().get("version");
	}

	private ServerResponse json(HttpStatus status, Object body) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(this.mapper.writeValueAsBytes(body));
	}

	private HandlerFunction<ServerResponse> guarded(Handler handler) {
		return (request) -> {
			try {
				return handler.handle(request);
			}
			catch (OpenInferenceException ex) {
				return error(ex);
			}
			catch (IOException ex) {
				return json(HttpStatus.BAD_REQUEST, RestInferCodec.error("The request could not be read: " + ex));
			}
			catch (RuntimeException ex) {
				logger.error("Open Inference Protocol request " + request.method() + " " + request.path() + " failed",
						ex);
				return json(HttpStatus.INTERNAL_SERVER_ERROR,
						RestInferCodec.error("The server failed on this request; its log tells why"));
			}
		};
	}

	private ServerResponse error(OpenInferenceException ex) {
		HttpStatus status = switch (ex.getKind()) {
			case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
			case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
		};
		ServerResponse.BodyBuilder builder = ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON);
		Duration retryAfter = ex.getRetryAfter();
		if (retryAfter != null) {
			builder.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ceilSeconds(retryAfter))));
		}
		if (status == HttpStatus.CONTENT_TOO_LARGE) {
			// the body was not read: the connection cannot carry another request
			builder.header(HttpHeaders.CONNECTION, "close");
		}
		return builder.body(this.mapper.writeValueAsBytes(RestInferCodec.error(ex.getMessage())));
	}

	private static long ceilSeconds(Duration duration) {
		long seconds = duration.getSeconds();
		return (duration.getNano() > 0) ? seconds + 1 : seconds;
	}

	@FunctionalInterface
	private interface Handler {

		ServerResponse handle(ServerRequest request) throws IOException;

	}

}
