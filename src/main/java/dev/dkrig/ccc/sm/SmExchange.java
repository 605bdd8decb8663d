package dev.dkrig.ccc.sm;

import dev.dkrig.iso7816.Hex;

/**
 * The secure-messaging intermediates of one command/response pair (§17.4.7): counter, ICVs, the
 * chaining value before the command, and the full 16-byte MACs. Key-derived values: shown only in
 * known-answer tests and {@code --reveal-secrets} traces.
 *
 * @param commandIcv empty when the command carried no data
 * @param responseIcv empty when the response carried no data, or not yet received
 * @param rmac empty until the response is processed
 */
public record SmExchange(
    int counter, byte[] commandIcv, byte[] mcvIn, byte[] cmac, byte[] responseIcv, byte[] rmac) {

  public SmExchange {
    commandIcv = commandIcv.clone();
    mcvIn = mcvIn.clone();
    cmac = cmac.clone();
    responseIcv = responseIcv.clone();
    rmac = rmac.clone();
  }

  @Override
  public byte[] commandIcv() {
    return commandIcv.clone();
  }

  @Override
  public byte[] mcvIn() {
    return mcvIn.clone();
  }

  @Override
  public byte[] cmac() {
    return cmac.clone();
  }

  @Override
  public byte[] responseIcv() {
    return responseIcv.clone();
  }

  @Override
  public byte[] rmac() {
    return rmac.clone();
  }

  SmExchange withResponse(byte[] icv, byte[] mac) {
    return new SmExchange(counter, commandIcv, mcvIn, cmac, icv, mac);
  }

  @Override
  public String toString() {
    return "ctr="
        + counter
        + " icv(cmd)="
        + Hex.encode(commandIcv)
        + " mcv="
        + Hex.encode(mcvIn)
        + " cmac="
        + Hex.encode(cmac)
        + " icv(rsp)="
        + Hex.encode(responseIcv)
        + " rmac="
        + Hex.encode(rmac);
  }
}
