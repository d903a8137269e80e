"""Sealing secrets for the sealed-secrets controller: the cipher, certificates and the sealed store."""
