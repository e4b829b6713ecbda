package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** A node's report on its assignment; written only by that node's agent (a status patch). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BpfWasmNodeProgramStatus {
  private Long observedGeneration;
  private NodeProgramPhase phase;
  private String digest;
  private List<Long> programIds = new ArrayList<>();
  private List<Long> linkIds = new ArrayList<>();
  private List<Long> mapIds = new ArrayList<>();
  private long eventsDelivered;
  private long eventsDropped;
  private int restarts;
  private LastError lastError;
  private String startedAt;
  private String updatedAt;

  /** The assignment's metadata.generation the agent has acted on. */
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public NodeProgramPhase getPhase() { return phase; }
  public void setPhase(NodeProgramPhase phase) { this.phase = phase; }
  /** The digest of the module the node runs (verified against the bytes it fetched). */
  public String getDigest() { return digest; }
  public void setDigest(String digest) { this.digest = digest; }
  /** Kernel BPF program IDs (as `bpftool prog show id N` lists them). */
  public List<Long> getProgramIds() { return programIds; }
  public void setProgramIds(List<Long> programIds) { this.programIds = programIds; }
  public List<Long> getLinkIds() { return linkIds; }
  public void setLinkIds(List<Long> linkIds) { this.linkIds = linkIds; }
  public List<Long> getMapIds() { return mapIds; }
  public void setMapIds(List<Long> mapIds) { this.mapIds = mapIds; }
  /** Ring/perf buffer samples handed to the guest since the program started. */
  public long getEventsDelivered() { return eventsDelivered; }
  public void setEventsDelivered(long eventsDelivered) { this.eventsDelivered = eventsDelivered; }
  /** Samples lost (buffer full, perf lost events) since the program started. */
  public long getEventsDropped() { return eventsDropped; }
  public void setEventsDropped(long eventsDropped) { this.eventsDropped = eventsDropped; }
  /** How often the agent restarted the guest for this assignment. */
  public int getRestarts() { return restarts; }
  public void setRestarts(int restarts) { this.restarts = restarts; }
  public LastError getLastError() { return lastError; }
  public void setLastError(LastError lastError) { this.lastError = lastError; }
  /** RFC 3339 time the current run started. */
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  /** RFC 3339 time of this report. */
  public String getUpdatedAt() { return updatedAt; }
  public void setUpdatedAt(String updatedAt) { this.updatedAt = updatedAt; }

  /** The last failure on this node. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LastError {
    @Size(max = 4096)
    private String message;
    @Size(max = 16384)
    private String verifierLog;
    private String time;

    public LastError() {}

    public LastError(String message, String verifierLog, String time) {
      this.message = message;
      this.verifierLog = verifierLog;
      this.time = time;
    }

    /** What failed, naming the object ("map events: ..."). */
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    /** The end of the kernel verifier's log when the verifier rejected a program. */
    public String getVerifierLog() { return verifierLog; }
    public void setVerifierLog(String verifierLog) { this.verifierLog = verifierLog; }
    /** RFC 3339 time of the failure. */
    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
  }
}
