package io.github.onnxgpu.boot.openinference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The specification's own example request (inference_rest.md) sent to the REST endpoints,
 * and every answer checked against the specification's schema (open_inference_rest.yaml,
 * OpenAPI 3.0) with a validator nobody here wrote. Both files are copies, see
 * {@code src/test/resources/open-inference/ORIGIN.md}.
 */
class OpenInferenceSpecificationTests extends OpenInferenceTestApplication {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Test
	void theSpecificationsExampleRequestIsValidAgainstItsSchema() throws IOException {
		assertThat(validate("inference_request", example())).isEmpty();
		// the schema is read: an answer without its required fields fails it
		assertThat(validate("inference_response", "{\"outputs\": [{\"name\": \"y\"}]}")).extracting(Error::getMessage)
			.anySatisfy((message) -> assertThat(message).contains("model_name"))
			.anySatisfy((message) -> assertThat(message).contains("datatype"));
	}

	@Test
	void theSpecificationsExampleRequestIsRefusedWithTheErrorObject() throws Exception {
		// ONNX Runtime's Java API creates no UINT32 tensors, and the example's input1
		// gives 1 element for shape [3]
		HttpResponse<String> answer = post("/v2/models/mymodel/infer", example());
		assertThat(answer.statusCode()).isEqualTo(400);
		JsonNode error = JSON.readTree(answer.body());
		assertThat(validate("inference_error_response", answer.body())).isEmpty();
		assertThat(error.get("error").stringValue()).contains("Input 'input0' of model 'mymodel' is INT32",
				"the request gives UINT32");
		String int32 = example().replace("UINT32", "INT32");
		HttpResponse<String> shape = post("/v2/models/mymodel/infer", int32);
		assertThat(shape.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(shape.body()).get("error").stringValue())
			.contains("Input 'input1' of model 'mymodel': shape [3] holds 3 elements, the request gives 1");
	}

	@Test
	void theExampleWithDataThatFitsItsShapesAnswersAsTheSpecificationShows() throws Exception {
		String request = example().replace("UINT32", "INT32").replace("[ true ]", "[ true, false, true ]");
		HttpResponse<String> answer = post("/v2/models/mymodel/infer", request);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(validate("inference_response", answer.body())).isEmpty();
		JsonNode json = JSON.readTree(answer.body());
		assertThat(json.get("id").stringValue()).isEqualTo("42");
		assertThat(json.get("model_name").stringValue()).isEqualTo("mymodel");
		JsonNode output = json.get("outputs").get(0);
		assertThat(output.get("name").stringValue()).isEqualTo("output0");
		assertThat(output.get("shape").toString()).isEqualTo("[3,2]");
		assertThat(output.get("datatype").stringValue()).isEqualTo("FP32");
		// input1[i] + sum(input0[:, j]) with input0 [[1, 2], [3, 4]]
		assertThat(output.get("data").toString()).isEqualTo("[5.0,7.0,4.0,6.0,5.0,7.0]");
	}

	@Test
	void metadataAndErrorsFitTheSchema() throws Exception {
		assertThat(validate("metadata_server_response", get("/v2").body())).isEmpty();
		for (String model : List.of("all", "scaled", "fixed", "strings", "unsigned", "queued", "mymodel")) {
			assertThat(validate("metadata_model_response", get("/v2/models/" + model).body())).as(model).isEmpty();
		}
		HttpResponse<String> unknown = get("/v2/models/nope");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(validate("metadata_model_error_response", unknown.body())).isEmpty();
	}

	private static String example() throws IOException {
		try (InputStream in = OpenInferenceSpecificationTests.class
			.getResourceAsStream("/open-inference/inference_rest-example-request.json")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static List<Error> validate(String schemaName, String json) {
		Schema schema = SCHEMAS.getSchema(SchemaLocation
			.of("classpath:open-inference/open_inference_rest.yaml#/components/schemas/" + schemaName));
		return schema.validate(JSON.readTree(json));
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build(), BodyHandlers.ofString());
	}

}
