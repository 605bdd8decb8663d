/**
 * The certificates of owner pairing (§8): a strict DER view of one certificate, a builder that
 * reproduces the §8.3/§8.4 profile byte for byte, the {@code .5.4} endpoint extension, the
 * vehicle's chain verification (§8.5) and binding (§8.6), the device's check of K (§7.7), and PEM
 * files for certificates and keys.
 */
package dev.dkrig.ccc.pki;
