/**
 * Conformance scenarios (issue 8): the rig as a car that gets things wrong on purpose. Each {@link
 * dev.dkrig.conformance.ConformanceScenario} drives an {@link dev.dkrig.transport.NfcTransport}
 * with the {@code ccc} codecs through a {@link dev.dkrig.conformance.ScriptedVehicle}, makes one
 * named deviation from the contract, and checks the device's required reaction: the status word of
 * §3.5 and §3.6 (in the check order of §18.10), the session dropped (a command under the old keys
 * refused), no Digital Key created, and a later clean owner pairing still possible.
 *
 * <p>Suites ({@code suites/*.yaml}, {@link dev.dkrig.conformance.Suite}) list scenarios, repeats
 * and operator prompts; {@link dev.dkrig.conformance.SuiteRunner} runs them against the device
 * under test that a rig describes, and the results render as a console table, a {@code
 * dkrig-suite/1} JSON document and JUnit XML (one testsuite per scenario run).
 */
package dev.dkrig.conformance;
