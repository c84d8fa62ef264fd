Profile: IpsEmploymentGoal
Parent: Goal
Id: ips-employment-goal
Title: "IPS employment goal"
Description: "The citizen's employment goal in their own words: a Goal with category ips#employment-goal and the text in description.text (data category employment-goal)."
* lifecycleStatus MS
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category contains employmentGoal 1..1 MS
* category[employmentGoal] = $ips#employment-goal
* description MS
* description.text 1..1 MS
* description.text ^short = "The goal in the citizen's own words"
* subject MS
* subject only Reference($DkCorePatient)

Instance: employment-goal
InstanceOf: IpsEmploymentGoal
Title: "Employment goal"
Description: "An active employment goal in the citizen's words."
Usage: #example
* lifecycleStatus = #active
* description.text = "Arbejde 15 timer om ugen i en boghandel"
* subject = Reference(patient-anna)
