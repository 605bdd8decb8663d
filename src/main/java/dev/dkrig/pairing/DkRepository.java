package dev.dkrig.pairing;

/**
 * Where the pairing keeps its DK records (§8.6). The pairing owns this interface and the record
 * type; the state folder ({@code state.StateStore}) implements it, so the vehicle's steps do not
 * depend on files, locks or the JSON form of a record.
 */
public interface DkRepository {

  /**
   * Stores the record, replacing the one with the same vehicle and DK identifiers. A store may
   * write behind the run; a failure it finds later carries {@code origin} (the step that produced
   * the record), so the run can put the ERROR where it belongs.
   */
  void save(DkRecord record, Object origin);

  /** Removes the stored record of this vehicle and DK, if any (the owner-pairing timer expired). */
  void delete(DkRecord record);
}
