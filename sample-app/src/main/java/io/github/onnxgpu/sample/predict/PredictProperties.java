package io.github.onnxgpu.sample.predict;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits and choices of {@code POST /predict}.
 */
@ConfigurationProperties("sample.predict")
public class PredictProperties {

	/**
	 * Name of the model (under onnx.models) that answers POST /predict.
	 */
	private String model = "detector";

	/**
	 * Largest request body accepted, image or JSON.
	 */
	private DataSize maxBodySize = DataSize.ofMegabytes(8);

	/**
	 * Largest width or height of an uploaded image, checked before the image is decoded.
	 */
	private int maxImageSide = 4096;

	/**
	 * Largest height or width the model is run at.
	 */
	private int maxInferenceSide = 1024;

	/**
	 * What the model's height and width must be multiples of (16 for the detector, which
	 * halves the resolution four times).
	 */
	private int sideMultiple = 16;

	/**
	 * Largest batch of a JSON request.
	 */
	private int maxBatch = 4;

	/**
	 * Probability from which a pixel counts as detected in the mask summary.
	 */
	private double maskThreshold = 0.5;

	/**
	 * Cells per side of the coarse mask in the response.
	 */
	private int maskGrid = 8;

	public String getModel() {
		return this.model;
	}

	public void setModel(String model) {
		this.model = model;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public int getMaxImageSide() {
		return this.maxImageSide;
	}

	public void setMaxImageSide(int maxImageSide) {
		this.maxImageSide = maxImageSide;
	}

	public int getMaxInferenceSide() {
		return this.maxInferenceSide;
	}

	public void setMaxInferenceSide(int maxInferenceSide) {
		this.maxInferenceSide = maxInferenceSide;
	}

	public int getSideMultiple() {
		return this.sideMultiple;
	}

	public void setSideMultiple(int sideMultiple) {
		this.sideMultiple = sideMultiple;
	}

	public int getMaxBatch() {
		return this.maxBatch;
	}

	public void setMaxBatch(int maxBatch) {
		this.maxBatch = maxBatch;
	}

	public double getMaskThreshold() {
		return this.maskThreshold;
	}

	public void setMaskThreshold(double maskThreshold) {
		this.maskThreshold = maskThreshold;
	}

	public int getMaskGrid() {
		return this.maskGrid;
	}

	public void setMaskGrid(int maskGrid) {
		this.maskGrid = maskGrid;
	}

}
