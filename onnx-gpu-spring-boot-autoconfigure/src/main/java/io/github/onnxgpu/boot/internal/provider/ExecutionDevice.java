package io.github.onnxgpu.boot.internal.provider;

import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtHardwareDevice;

/**
 * An execution provider paired with the hardware device it runs on, as ONNX Runtime's
 * device discovery ({@code OrtEnvironment.getEpDevices()}) reports it, copied out of the
 * native objects so that it can be shown and compared after they are gone.
 *
 * @param provider the execution provider's name, such as {@code CPUExecutionProvider}
 * @param providerVendor who makes the execution provider
 * @param type the kind of device: {@code CPU}, {@code GPU} or {@code NPU}
 * @param vendor the device's vendor, as the driver names it
 * @param vendorId the device's PCI vendor id (0x10DE for NVIDIA), 0 when unknown
 * @param deviceId the device's id as its vendor numbers it, 0 when unknown
 */
public record ExecutionDevice(String provider, String providerVendor, String type, String vendor, int vendorId,
		int deviceId) {

	/**
	 * Copy what ONNX Runtime reports of a device.
	 * @param device the device
	 * @return the copy
	 */
	public static ExecutionDevice of(OrtEpDevice device) {
		OrtHardwareDevice hardware = device.getDevice();
		return new ExecutionDevice(device.getEpName(), device.getEpVendor(), hardware.getType().name(),
				hardware.getVendor(), hardware.getVendorId(), hardware.getDeviceId());
	}

	/**
	 * One line for messages, such as {@code CPUExecutionProvider on CPU AMD (vendor id
	 * 0x1022, device id 0)}.
	 * @return the description
	 */
	public String describe() {
		return this.provider + " on " + this.type + " " + this.vendor + " (vendor id 0x"
				+ Integer.toHexString(this.vendorId) + ", device id " + this.deviceId + ")";
	}

}
