/**
 * ISO/IEC 7816-4 values: command and response APDUs, BER-TLV objects and sequences, and the hex and
 * byte helpers they are written with. This package imports nothing from the rest of dkrig, so both
 * {@code ccc} (the CCC messages are TLVs inside APDUs) and {@code transport} (which carries APDUs
 * without knowing CCC) can sit above it.
 *
 * <p>Parse failures are {@link dev.dkrig.iso7816.Iso7816Exception}; the CCC meaning of the status
 * words and instruction bytes ({@code StatusWord}, {@code Ins}) stays in {@code ccc}.
 */
package dev.dkrig.iso7816;
