"""Platform adapters: each turns platform events into core calls and renders the replies."""
