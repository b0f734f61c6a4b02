"""Open311 GeoReport v2: complaint categories as services, complaints as service requests."""
