package dev.dkrig.pairing;

import dev.dkrig.ccc.kcd.EndpointCreationData;
import dev.dkrig.ccc.spake2.SystemKeys;
import dev.dkrig.pairing.protocol.Negotiated;

/**
 * Transaction 1's hand-off (P2.2 to P2.4): the agreed versions, the SPAKE2+ system keys and the
 * creation data the vehicle sent (what H must match, §8.6).
 */
record CreationDataSent(
    Negotiated negotiated, SystemKeys systemKeys, EndpointCreationData creationData) {}
