package meshgate.gateway.events;

/** Where events go. {@link #emit} returns only once the event is delivered; a failure throws. */
public interface EventSink {
    void emit(InboundEvent event) throws Exception;
}
