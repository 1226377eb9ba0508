"""Exchange with other Damrong installations: taking in what peers send (inbox) and sending the
outbox to them (courier). The registry, the signing and the outbox itself are records (peers,
peer_outbox, peer_forward); the web endpoints are webui.peer_api; `damrong peer` the commands."""
