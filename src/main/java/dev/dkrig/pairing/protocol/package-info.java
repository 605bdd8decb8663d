/**
 * The vehicle's protocol kernel: each exchange of the contract written once, for every role that
 * plays the vehicle (the owner pairing, the conformance suite's scripted vehicle, the device tests'
 * vehicle).
 *
 * <p>{@link dev.dkrig.pairing.protocol.VehicleSession} holds what is selected and the secure
 * channels, and offers one method per exchange returning a typed value ({@link
 * dev.dkrig.pairing.protocol.Negotiated}, {@link dev.dkrig.pairing.protocol.Spake2Pending}, {@code
 * SystemKeys}, {@link dev.dkrig.pairing.protocol.KeyCreated}, {@link
 * dev.dkrig.pairing.protocol.Certificates}, {@code VerifiedChain}, {@link
 * dev.dkrig.pairing.protocol.TransactionPending}, {@link
 * dev.dkrig.pairing.protocol.TransactionResult}). Every problem is a {@link
 * dev.dkrig.pairing.protocol.StepFailure} carrying the status word and the abort of §10.2: {@link
 * dev.dkrig.pairing.protocol.Checks} judges status words, {@link
 * dev.dkrig.pairing.protocol.Failures} maps transport and protocol failures.
 *
 * <p>The kernel sends through a {@link dev.dkrig.pairing.protocol.Wire}, the role's own link. A
 * role that deviates on purpose either wraps the wire ({@code wire.altering(command -> ...)}), or
 * builds its command from the pieces ({@code VehicleSession.protect}, {@code unprotect}, the {@code
 * ccc} codecs) and sends it itself; a caught {@code StepFailure} tells it the status word and cause
 * in its own words. Timers, polling, retries and recording belong to the role.
 */
package dev.dkrig.pairing.protocol;
