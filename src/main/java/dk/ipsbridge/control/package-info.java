/**
 * What regional IT does to a running adapter (issue 17): pause and resume delivery to a jobcenter, resync one patient
 * or one source, see the routes. Every action is a ledger entry naming the operator.
 */
package dk.ipsbridge.control;
