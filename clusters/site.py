"""Facts of the place the clusters run in, shared by several apps: the NAS and its services."""

from __future__ import annotations

#: The NAS on the home network: NFS exports and the Garage S3 server.
NAS = "192.168.100.210"
#: Garage's S3 endpoint on the NAS.
GARAGE_S3 = f"http://{NAS}:3900"
#: The workstation exporting the Syncthing folders and the minikube test data over NFS.
EVORA = "evora.lan"
